using System.Diagnostics.Metrics;
using System.Text;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// Listens to <see cref="EndpointMetrics"/>' instruments (a <see cref="MeterListener"/>, so recording stays the
/// standard API) and writes them as Prometheus text for <c>GET /metrics</c>. Counters and histograms accumulate as
/// measurements arrive; observable instruments (the engine's gauges, llama-server's totals) are read at each scrape.
/// vLLM's families carry its <c>model_name</c> label, llama-server's none, as theirs do.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<MetricSeries> _series = [];
    private readonly Lock _scrape = new();
    private readonly string _modelLabel;

    public MetricsCollector(EndpointMetrics metrics, string modelName)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var model = new StringBuilder();
        PrometheusText.Append(model, "model_name", modelName);
        _modelLabel = model.ToString();

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                var series = new MetricSeries(instrument);
                lock (_series)
                {
                    _series.Add(series);
                }

                listener.EnableMeasurementEvents(instrument, series);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricSeries)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Every family in Prometheus' text format, observable instruments read now.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            MetricSeries[] all;
            lock (_series)
            {
                all = [.. _series];
            }

            foreach (var series in all)
            {
                series.ResetObserved();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var series in all.OrderBy(s => s.Instrument.Name, StringComparer.Ordinal))
            {
                Write(text, series);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Write(StringBuilder text, MetricSeries series)
    {
        var name = series.Instrument.Name;
        var constant = name.StartsWith("vllm:", StringComparison.Ordinal) ? _modelLabel : "";
        text.Append("# HELP ").Append(name).Append(' ').Append(PrometheusText.Help(series.Instrument.Description ?? name)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(series.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        }).Append('\n');

        var snapshot = series.Snapshot();
        if (snapshot.Count == 0 && series.Kind != MetricKind.Gauge)
        {
            // A counter or histogram nothing was recorded in yet is zero, not absent: rates start from it.
            snapshot = [("", 0, 0, new long[series.Buckets.Count + 1])];
        }

        foreach (var (labels, sum, count, buckets) in snapshot)
        {
            var all = Join(constant, labels);
            if (series.Kind != MetricKind.Histogram)
            {
                Sample(text, name, all, sum);
                continue;
            }

            long cumulative = 0;
            for (var i = 0; i <= series.Buckets.Count; i++)
            {
                cumulative += buckets[i];
                var bound = i < series.Buckets.Count ? PrometheusText.Number(series.Buckets[i]) : "+Inf";
                var withLe = new StringBuilder(all);
                PrometheusText.Append(withLe, "le", bound);
                Sample(text, name + "_bucket", withLe.ToString(), cumulative);
            }

            Sample(text, name + "_sum", all, sum);
            Sample(text, name + "_count", all, count);
        }
    }

    private static string Join(string first, string second) =>
        first.Length == 0 ? second : second.Length == 0 ? first : first + "," + second;

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(value)).Append('\n');
    }
}
