using System.Diagnostics.Metrics;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// One instrument's values as Prometheus exposes them: a sum (counter), a last value (gauge) or bucket counts
/// (histogram), one set per distinct label set. Measurements may arrive from many request threads at once.
/// </summary>
internal sealed class MetricSeries
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Values> _byLabels = new(StringComparer.Ordinal);
    private readonly double[] _bounds;

    public MetricSeries(Instrument instrument)
    {
        Instrument = instrument;
        Kind = instrument switch
        {
            Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double> => MetricKind.Counter,
            Histogram<double> or Histogram<long> => MetricKind.Histogram,
            _ => MetricKind.Gauge,
        };
        _bounds = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray() ?? [];
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Upper bounds of a histogram's buckets (the last, +Inf, is implied).</summary>
    public IReadOnlyList<double> Buckets => _bounds;

    public bool IsObservable => Instrument.IsObservable;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusText.Labels(tags);
        lock (_lock)
        {
            if (!_byLabels.TryGetValue(labels, out var values))
            {
                values = _byLabels[labels] = new Values(_bounds.Length + 1);
            }

            switch (Kind)
            {
                // An observable counter reports its running total, so it is set, not added.
                case MetricKind.Counter when !IsObservable:
                    values.Sum += value;
                    break;
                case MetricKind.Histogram:
                    values.Sum += value;
                    values.Count++;
                    values.BucketCounts[BucketOf(value)]++;
                    break;
                default:
                    values.Sum = value;
                    break;
            }
        }
    }

    /// <summary>Forgets an observable instrument's values before it is observed again (a label set may vanish).</summary>
    public void ResetObserved()
    {
        if (IsObservable)
        {
            lock (_lock)
            {
                _byLabels.Clear();
            }
        }
    }

    /// <summary>A consistent copy of every label set's values, labels sorted.</summary>
    public IReadOnlyList<(string Labels, double Sum, long Count, long[] BucketCounts)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _byLabels.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => (p.Key, p.Value.Sum, p.Value.Count, p.Value.BucketCounts.ToArray()))];
        }
    }

    private int BucketOf(double value)
    {
        var index = Array.BinarySearch(_bounds, value);
        return index >= 0 ? index : ~index; // Prometheus buckets are "less than or equal": an exact bound belongs to it.
    }

    private sealed class Values(int buckets)
    {
        public double Sum;
        public long Count;
        public long[] BucketCounts { get; } = new long[buckets];
    }
}
