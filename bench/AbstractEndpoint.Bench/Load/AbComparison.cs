namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// A target (B) divided by the first one (A) at one concurrency: above 1 means B is larger (slower for latencies,
/// faster for tokens/s).
/// </summary>
internal sealed record AbComparison(
    int Concurrency,
    double? TtftP50,
    double? TtftP99,
    double? ItlP50,
    double? ItlP99,
    double? StreamTokensPerSecond,
    double? AggregateTokensPerSecond)
{
    /// <summary>The target divided by the first one.</summary>
    public string Target { get; init; } = "B";

    public static AbComparison From(LevelSummary a, LevelSummary b) => new(
        a.Concurrency,
        Ratio(b.TtftP50Ms, a.TtftP50Ms),
        Ratio(b.TtftP99Ms, a.TtftP99Ms),
        Ratio(b.ItlP50Ms, a.ItlP50Ms),
        Ratio(b.ItlP99Ms, a.ItlP99Ms),
        Ratio(b.StreamTokensPerSecond, a.StreamTokensPerSecond),
        Ratio(b.AggregateTokensPerSecond, a.AggregateTokensPerSecond))
    {
        Target = b.Target,
    };

    private static double? Ratio(double? b, double? a) => a is > 0 && b is not null ? b / a : null;
}
