namespace AbstractEndpoint.Bench.Load;

/// <summary>One target's first requests after start, in milliseconds, in the order they were sent.</summary>
internal sealed record FirstRequestsSummary(string Target, IReadOnlyList<double?> DurationsMs, int Errors)
{
    /// <summary>The n-th request's time (0-based); null when it failed or was not sent.</summary>
    public double? At(int index) => index < DurationsMs.Count ? DurationsMs[index] : null;

    /// <summary>The median of the requests after the third: a warm server answering a cached prompt.</summary>
    public double? LaterP50Ms => Percentile.Of(Later, 50);

    public double? LaterMaxMs => Later.Any() ? Later.Max() : null;

    private IEnumerable<double> Later => DurationsMs.Skip(3).OfType<double>();

    public static FirstRequestsSummary From(string target, IReadOnlyList<RequestMeasurement> requests) =>
        new(target, [.. requests.Select(r => r.Succeeded ? r.Duration * 1000 : (double?)null)], requests.Count(r => !r.Succeeded));
}
