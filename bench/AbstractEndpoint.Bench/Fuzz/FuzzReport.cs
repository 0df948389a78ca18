namespace AbstractEndpoint.Bench.Fuzz;

/// <summary>
/// What a fuzz run saw: every body is exactly one of 2xx, 4xx, 5xx (or another status), dropped or timed out.
/// Failures keeps a few of the bodies that got none of 2xx and 4xx, for reproduction.
/// </summary>
public sealed record FuzzReport(int Sent, int Success, int ClientErrors, int ServerErrors, int Dropped, int Other, IReadOnlyList<FuzzFailure> Failures)
{
    /// <summary>How many bodies broke the contract, by status and error code ("500", "503 kv_cache_full", "dropped").</summary>
    public IReadOnlyDictionary<string, int> FailureKinds { get; init; } = new Dictionary<string, int>();

    /// <summary>The same counts route by route (every route the generator covers, in its order).</summary>
    public IReadOnlyList<(string Route, FuzzRouteCounts Counts)> ByRoute { get; init; } = [];

    /// <summary>Bodies the client gave up on (the per-request timeout), counted apart from dropped connections.</summary>
    public int TimedOut { get; init; }

    public bool Clean => ServerErrors == 0 && Dropped == 0 && TimedOut == 0 && Other == 0;

    public override string ToString() =>
        $"{Sent} bodies sent: {Success} × 2xx, {ClientErrors} × 4xx, {ServerErrors} × 5xx, {Dropped} dropped, {TimedOut} timed out, {Other} other"
        + string.Concat(ByRoute.Select(r => $"\n  {r.Route,-38} {r.Counts}"))
        + string.Concat(FailureKinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"\n  {k.Value} × {k.Key}"));
}
