namespace AbstractEndpoint.Bench.Soak;

/// <summary>How a soak runs: clients streaming back to back for a while, some walking away mid-stream.</summary>
public sealed record SoakOptions
{
    public int Clients { get; init; } = 64;

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The share of streams whose client leaves after a few chunks, without reading to the end.</summary>
    public double WalkAwayShare { get; init; } = 0.15;

    public int MinTokens { get; init; } = 8;

    public int MaxTokens { get; init; } = 48;

    /// <summary>The server's process id, for its RSS; null samples nothing.</summary>
    public int? ServerPid { get; init; }

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one stream may take before the client counts it as lost.</summary>
    public TimeSpan StreamTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int Seed { get; init; } = 1;
}
