using System.Diagnostics.Metrics;
using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// The server's measurements as <see cref="System.Diagnostics.Metrics"/> instruments of one <see cref="Meter"/>
/// ("AbstractEndpoint"), named as llama-server and vLLM name theirs so that dashboards and load-balancing routers
/// read them unchanged. Per-request figures are recorded by <see cref="ObservedChatBackend"/> (every route that
/// generates goes through it); the engine's load is observed at collection time through the loaded model's
/// <see cref="IBackendStatus"/>. With no listener (no <c>--metrics</c>), recording costs one enabled check.
/// </summary>
public sealed class EndpointMetrics : IDisposable
{
    public const string MeterName = "AbstractEndpoint";

    // vLLM's own bucket boundaries (vllm/v1/metrics/loggers.py), so its dashboards' quantiles mean the same here.
    private static readonly double[] FirstTokenBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];

    private static readonly double[] InterTokenBuckets =
        [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];

    private static readonly double[] RequestBuckets =
        [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];

    // vLLM's finished_reason values; every one is exposed from the start, so a rate over it never lacks a series.
    private static readonly string[] FinishedReasons = ["stop", "length", "abort"];
    private readonly long[] _finished = new long[FinishedReasons.Length];

    // Running totals behind llama-server's counters and its two throughput gauges (which are ratios of them).
    private long _promptTokensProcessed;
    private long _tokensPredicted;
    private long _promptMicroseconds;
    private long _predictedMicroseconds;

    /// <param name="status">The loaded model's load, null until it is ready (or for a backend without one).</param>
    public EndpointMetrics(Func<IBackendStatus?> status)
    {
        Meter = new Meter(MeterName);

        PromptTokens = Meter.CreateCounter<long>("vllm:prompt_tokens_total", "{token}", "Number of prefill tokens processed (cached ones included).");
        GenerationTokens = Meter.CreateCounter<long>("vllm:generation_tokens_total", "{token}", "Number of generation tokens processed.");
        Meter.CreateObservableCounter("vllm:request_success_total", FinishedRequests, "{request}", "Count of successfully processed requests.");
        TimeToFirstToken = Meter.CreateHistogram("vllm:time_to_first_token_seconds", "s", "Histogram of time to first token in seconds.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstTokenBuckets });
        InterTokenLatency = Meter.CreateHistogram("vllm:inter_token_latency_seconds", "s", "Histogram of inter-token latency in seconds.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = InterTokenBuckets });
        RequestLatency = Meter.CreateHistogram("vllm:e2e_request_latency_seconds", "s", "Histogram of e2e request latency in seconds.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });

        Meter.CreateObservableCounter("llamacpp:prompt_tokens_total", () => Interlocked.Read(ref _promptTokensProcessed),
            "{token}", "Number of prompt tokens processed.");
        Meter.CreateObservableCounter("llamacpp:prompt_seconds_total", () => Seconds(ref _promptMicroseconds),
            "s", "Prompt process time (admission to first token).");
        Meter.CreateObservableCounter("llamacpp:tokens_predicted_total", () => Interlocked.Read(ref _tokensPredicted),
            "{token}", "Number of generation tokens processed.");
        Meter.CreateObservableCounter("llamacpp:tokens_predicted_seconds_total", () => Seconds(ref _predictedMicroseconds),
            "s", "Predict process time (first token to end).");
        Meter.CreateObservableGauge("llamacpp:prompt_tokens_seconds", () => Rate(ref _promptTokensProcessed, ref _promptMicroseconds),
            "{token}/s", "Average prompt throughput in tokens/s.");
        Meter.CreateObservableGauge("llamacpp:predicted_tokens_seconds", () => Rate(ref _tokensPredicted, ref _predictedMicroseconds),
            "{token}/s", "Average generation throughput in tokens/s.");

        // The engine's load, read when a scrape asks (never on the request path). Running = admitted and not waiting.
        Meter.CreateObservableGauge("llamacpp:requests_processing", () => Running(status()), "{request}", "Number of requests processing.");
        Meter.CreateObservableGauge("llamacpp:requests_deferred", () => status()?.QueuedRequests ?? 0, "{request}", "Number of requests deferred.");
        Meter.CreateObservableGauge("llamacpp:kv_cache_tokens", () => status()?.KvTokensInUse ?? 0, "{token}", "KV-cache tokens.");
        Meter.CreateObservableGauge("llamacpp:kv_cache_usage_ratio", () => KvUsage(status()), "1", "KV-cache usage. 1 means 100 percent usage.");
        Meter.CreateObservableGauge("vllm:num_requests_running", () => Running(status()), "{request}", "Number of requests in model execution batches.");
        Meter.CreateObservableGauge("vllm:num_requests_waiting", () => status()?.QueuedRequests ?? 0, "{request}", "Number of requests waiting to be processed.");
        Meter.CreateObservableGauge("vllm:kv_cache_usage_perc", () => KvUsage(status()), "1", "KV-cache usage. 1 means 100 percent usage.");
        Meter.CreateObservableGauge("vllm:cache_config_info", () => CacheConfig(status()), "1", "Information of the LLMEngine CacheConfig.");
    }

    public Meter Meter { get; }

    public Counter<long> PromptTokens { get; }

    public Counter<long> GenerationTokens { get; }

    public Histogram<double> TimeToFirstToken { get; }

    public Histogram<double> InterTokenLatency { get; }

    public Histogram<double> RequestLatency { get; }

    /// <summary>Counts a finished request under vLLM's reason: <c>stop</c>, <c>length</c> or <c>abort</c>.</summary>
    public void AddFinished(string reason) => Interlocked.Increment(ref _finished[Array.IndexOf(FinishedReasons, reason)]);

    /// <summary>Adds one finished request's prompt and generation figures to llama-server's running totals.</summary>
    public void AddTotals(int promptTokensProcessed, int tokensPredicted, TimeSpan promptTime, TimeSpan predictTime)
    {
        Interlocked.Add(ref _promptTokensProcessed, promptTokensProcessed);
        Interlocked.Add(ref _tokensPredicted, tokensPredicted);
        Interlocked.Add(ref _promptMicroseconds, (long)promptTime.TotalMicroseconds);
        Interlocked.Add(ref _predictedMicroseconds, (long)predictTime.TotalMicroseconds);
    }

    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<long>> FinishedRequests() =>
        FinishedReasons.Select((reason, i) => new Measurement<long>(Interlocked.Read(ref _finished[i]), new KeyValuePair<string, object?>("finished_reason", reason)));

    private static int Running(IBackendStatus? status) =>
        status is null ? 0 : Math.Max(0, status.PendingRequests - status.QueuedRequests);

    private static double KvUsage(IBackendStatus? status) =>
        status is { ContextSize: > 0 and var cells, KvTokensInUse: { } used } ? Math.Clamp((double)used / cells, 0, 1) : 0;

    // vLLM's info gauge: value 1, facts in labels. llama.cpp's unified KV cache has one token per cell, so a "block"
    // is one cell and the blocks are the context's cells; routers divide by these to size a replica.
    private static IEnumerable<Measurement<int>> CacheConfig(IBackendStatus? status) => status?.ContextSize is { } cells
        ? [new Measurement<int>(1,
            new KeyValuePair<string, object?>("block_size", "1"),
            new KeyValuePair<string, object?>("num_gpu_blocks", cells.ToString(System.Globalization.CultureInfo.InvariantCulture)))]
        : [];

    private static double Seconds(ref long microseconds) => Interlocked.Read(ref microseconds) / 1e6;

    private static double Rate(ref long tokens, ref long microseconds)
    {
        var seconds = Seconds(ref microseconds);
        return seconds > 0 ? Interlocked.Read(ref tokens) / seconds : 0;
    }
}
