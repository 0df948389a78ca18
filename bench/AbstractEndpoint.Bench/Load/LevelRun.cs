namespace AbstractEndpoint.Bench.Load;

/// <summary>One target at one concurrency level in one round: its requests and its wall time.</summary>
internal sealed record LevelRun(
    string Target, int Concurrency, int Round, double WallSeconds, IReadOnlyList<RequestMeasurement> Requests);
