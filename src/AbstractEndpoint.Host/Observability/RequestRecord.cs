namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// What one HTTP request did with the model, filled in as its reply streams (by <see cref="ObservedChatBackend"/>)
/// and read once at its end by the access log (<see cref="AccessLogMiddleware"/>). It travels with the request's
/// execution context, so a route that generates needs no code of its own to be logged and measured.
/// </summary>
public sealed class RequestRecord
{
    private static readonly AsyncLocal<RequestRecord?> CurrentRecord = new();

    /// <summary>The record of the request running on this execution context; null outside one.</summary>
    public static RequestRecord? Current
    {
        get => CurrentRecord.Value;
        set => CurrentRecord.Value = value;
    }

    /// <summary>When the request's first byte arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks): <c>--timeout</c> counts from here.</summary>
    public long Started { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Prompt tokens of the generation (0 for a route that does not generate).</summary>
    public int PromptTokens { get; set; }

    /// <summary>Prompt tokens whose KV cells were reused.</summary>
    public int CachedTokens { get; set; }

    /// <summary>Tokens generated, over every choice.</summary>
    public int GeneratedTokens { get; set; }

    /// <summary>From admission to the first piece of output; null when none came.</summary>
    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>True once the backend admitted a generation for this request.</summary>
    public bool Generated { get; set; }
}
