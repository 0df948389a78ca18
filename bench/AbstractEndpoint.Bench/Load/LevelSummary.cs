namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// The measurements of one target at one concurrency, pooled over rounds. Latencies are milliseconds; aggregate
/// tokens/s is all generated tokens over the summed wall time of the runs.
/// </summary>
internal sealed record LevelSummary
{
    public required string Target { get; init; }

    public required int Concurrency { get; init; }

    public int Rounds { get; init; }

    public int Requests { get; init; }

    public int Errors { get; init; }

    /// <summary>Successful requests that produced fewer tokens than asked (end of text was not suppressed?).</summary>
    public int ShortResponses { get; init; }

    public double WallSeconds { get; init; }

    public long CompletionTokens { get; init; }

    public double? MeanPromptTokens { get; init; }

    public double? TtftP50Ms { get; init; }

    public double? TtftP90Ms { get; init; }

    public double? TtftP99Ms { get; init; }

    public double? ItlP50Ms { get; init; }

    public double? ItlP99Ms { get; init; }

    /// <summary>Mean over requests of each stream's own decode speed.</summary>
    public double? StreamTokensPerSecond { get; init; }

    public double AggregateTokensPerSecond { get; init; }

    /// <summary>Fraction of successful requests whose token count came from the usage block.</summary>
    public double UsageCoverage { get; init; }

    public string? FirstError { get; init; }

    public static LevelSummary From(IReadOnlyList<LevelRun> runs, int maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        var requests = runs.SelectMany(run => run.Requests).ToList();
        var succeeded = requests.Where(r => r.Succeeded).ToList();
        var wall = runs.Sum(run => run.WallSeconds);
        var tokens = succeeded.Sum(r => (long)r.CompletionTokens);
        var promptTokens = succeeded.Where(r => r.PromptTokens is not null).Select(r => (double)r.PromptTokens!.Value).ToList();
        var ttft = succeeded.Where(r => r.TimeToFirstToken is not null).Select(r => r.TimeToFirstToken!.Value * 1000).ToList();
        var itl = succeeded.SelectMany(r => r.InterTokenLatencies).Select(seconds => seconds * 1000).ToList();
        var streamSpeeds = succeeded.Select(r => r.StreamTokensPerSecond).OfType<double>().ToList();
        return new LevelSummary
        {
            Target = runs[0].Target,
            Concurrency = runs[0].Concurrency,
            Rounds = runs.Count,
            Requests = requests.Count,
            Errors = requests.Count - succeeded.Count,
            ShortResponses = succeeded.Count(r => r.CompletionTokens < maxTokens),
            WallSeconds = wall,
            CompletionTokens = tokens,
            MeanPromptTokens = promptTokens.Count > 0 ? promptTokens.Average() : null,
            TtftP50Ms = Percentile.Of(ttft, 50),
            TtftP90Ms = Percentile.Of(ttft, 90),
            TtftP99Ms = Percentile.Of(ttft, 99),
            ItlP50Ms = Percentile.Of(itl, 50),
            ItlP99Ms = Percentile.Of(itl, 99),
            StreamTokensPerSecond = streamSpeeds.Count > 0 ? streamSpeeds.Average() : null,
            AggregateTokensPerSecond = wall > 0 ? tokens / wall : 0,
            UsageCoverage = succeeded.Count > 0 ? succeeded.Count(r => r.TokensFromUsage) / (double)succeeded.Count : 0,
            FirstError = requests.FirstOrDefault(r => !r.Succeeded)?.Error,
        };
    }
}
