namespace AbstractEndpoint.Bench.Load;

/// <summary>Everything a load run needs; built from the command line by <c>LoadCommand</c>.</summary>
internal sealed record LoadTestOptions
{
    /// <summary>One or more targets; with several, every level alternates A B A B … so machine drift cancels in B/A.</summary>
    public required IReadOnlyList<LoadTarget> Targets { get; init; }

    public required IReadOnlyList<int> ConcurrencyLevels { get; init; }

    /// <summary>Approximate prompt length in tokens (the prompt is built from that many common words).</summary>
    public int PromptTokens { get; init; } = 100;

    public int MaxTokens { get; init; } = 128;

    /// <summary>Fraction (0–1) of the prompt that is the same leading text in every request.</summary>
    public double SharedPrefix { get; init; }

    /// <summary>Requests per level and round; null means twice the concurrency, at least 4.</summary>
    public int? RequestsPerLevel { get; init; }

    /// <summary>Rounds per level: a round runs every target once, in order.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Unmeasured requests per target before the first level (model load, JIT, caches).</summary>
    public int WarmupRequests { get; init; } = 1;

    public bool Stream { get; init; } = true;

    /// <summary>
    /// Sends <c>Connection: close</c>, so every request opens its own connection. For servers that drop a kept-alive
    /// connection after a streamed reply without saying so (llama-server 0.7.0 does), where reusing it fails.
    /// </summary>
    public bool ConnectionClose { get; init; }

    /// <summary>Token ids biased to -100 so that every request generates exactly <see cref="MaxTokens"/>.</summary>
    public IReadOnlyList<int> SuppressedTokenIds { get; init; } = [2];

    /// <summary>Sent only when set; otherwise the server's default sampling applies.</summary>
    public double? Temperature { get; init; }

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int Seed { get; init; } = 1;

    public int RequestsFor(int concurrency) => RequestsPerLevel ?? Math.Max(4, 2 * concurrency);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        Require(Targets.Count >= 1, "at least one target");
        Require(Targets.Select(t => t.Label).Distinct().Count() == Targets.Count, "target labels must be distinct");
        Require(ConcurrencyLevels.Count > 0 && ConcurrencyLevels.All(c => c > 0), "concurrency levels must be positive");
        Require(ConcurrencyLevels.Distinct().Count() == ConcurrencyLevels.Count, "concurrency levels must be distinct");
        Require(RequestTimeout > TimeSpan.Zero, "--timeout must be positive");
        Require(PromptTokens > 0, "--prompt-tokens must be positive");
        Require(MaxTokens > 0, "--max-tokens must be positive");
        Require(SharedPrefix is >= 0 and <= 1, "--shared-prefix is a fraction from 0 to 1");
        Require(RequestsPerLevel is null or > 0, "--requests-per-level must be positive");
        Require(Rounds > 0, "--rounds must be positive");
        Require(WarmupRequests >= 0, "--warmup cannot be negative");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
