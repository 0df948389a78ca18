namespace AbstractEndpoint.Bench.Load;

/// <summary>Percentiles with linear interpolation between closest ranks (numpy's default).</summary>
internal static class Percentile
{
    public static double? Of(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = percentile / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
