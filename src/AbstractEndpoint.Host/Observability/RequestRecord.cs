namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// What one HTTP request did with the model, filled in as its reply streams (by <see cref="ObservedChatBackend"/>)
/// and read once at its end by the access log (<see cref="AccessLogMiddleware"/>). It travels with the request's
/// execution context, so a route that generates needs no code of its own to be logged and measured.
/// </summary>
public sealed class RequestRecord
{
    private static readonly AsyncLocal<RequestRecord?> CurrentRecord = new();

    private readonly Lock _gate = new();

    /// <summary>The record of the request running on this execution context; null outside one.</summary>
    public static RequestRecord? Current
    {
        get => CurrentRecord.Value;
        set => CurrentRecord.Value = value;
    }

    /// <summary>When the request's first byte arrived (<see cref="System.Diagnostics.Stopwatch"/> ticks): <c>--timeout</c> counts from here.</summary>
    public long Started { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// The start-up warm-up's own request (<see cref="Security.WarmupCredential"/>): logged at debug and left out of
    /// the metrics, so that neither shows traffic no client sent.
    /// </summary>
    public bool WarmUp { get; init; }

    /// <summary>Prompt tokens of the generation (0 for a route that does not generate).</summary>
    public int PromptTokens { get; private set; }

    /// <summary>Prompt tokens whose KV cells were reused.</summary>
    public int CachedTokens { get; private set; }

    /// <summary>Tokens generated, over every choice.</summary>
    public int GeneratedTokens { get; private set; }

    /// <summary>From admission to the first piece of output; null when none came.</summary>
    public TimeSpan? TimeToFirstToken { get; private set; }

    /// <summary>True once the backend admitted a generation for this request.</summary>
    public bool Generated { get; set; }

    /// <summary>
    /// Adds one generation's figures when it ends. A request may run several at once (a completion with several
    /// prompts), so they add up under a lock; the first token is the earliest any of them produced.
    /// </summary>
    public void Add(int promptTokens, int cachedTokens, int generatedTokens, TimeSpan? timeToFirstToken)
    {
        lock (_gate)
        {
            PromptTokens += promptTokens;
            CachedTokens += cachedTokens;
            GeneratedTokens += generatedTokens;
            if (timeToFirstToken < TimeToFirstToken || TimeToFirstToken is null)
            {
                TimeToFirstToken = timeToFirstToken;
            }
        }
    }
}
