namespace AbstractEndpoint.Bench.Load;

/// <summary>The result of a load run, as written to JSON.</summary>
internal sealed record LoadReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public required IReadOnlyList<TargetInfo> Targets { get; init; }

    public required LoadSettings Settings { get; init; }

    public required IReadOnlyList<LevelSummary> Levels { get; init; }

    /// <summary>B/A per concurrency level; empty with a single target.</summary>
    public required IReadOnlyList<AbComparison> Comparisons { get; init; }

    /// <summary>Every run with its requests, for later analysis.</summary>
    public required IReadOnlyList<RunRecord> Runs { get; init; }

    internal sealed record TargetInfo(string Label, string Url, string Model);

    internal sealed record LoadSettings(
        IReadOnlyList<int> Concurrency,
        int PromptTokens,
        int MaxTokens,
        double SharedPrefix,
        int Rounds,
        int WarmupRequests,
        bool Stream,
        IReadOnlyList<int> SuppressedTokenIds,
        double? Temperature);

    internal sealed record RunRecord(
        string Target, int Concurrency, int Round, double WallSeconds, IReadOnlyList<RequestRecord> Requests);

    internal sealed record RequestRecord(
        double? TtftMs, double DurationMs, int CompletionTokens, int? PromptTokens, string? FinishReason, string? Error);
}
