namespace AbstractEndpoint.Providers;

/// <summary>Everything needed to talk to one upstream model, resolved from flags and the environment.</summary>
public sealed record UpstreamSettings
{
    public required RemoteProvider Provider { get; init; }

    /// <summary>The API root, ending without a slash (e.g. <c>http://localhost:11434/v1</c>).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>This server's credential for the upstream; null sends none. Never a client's key.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The upstream's model name (<c>--model</c>).</summary>
    public required string Model { get; init; }

    /// <summary>The id clients see (<c>--alias</c>, else the model).</summary>
    public required string ModelId { get; init; }

    /// <summary>Most open connections to the upstream; requests beyond wait for one.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>How long connecting may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the upstream may stay silent (before the headers, or between two chunks).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Extra attempts for a request that failed before any byte came back.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>How often <c>/health</c>'s reachability probe runs.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(15);
}
