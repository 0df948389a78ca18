using AbstractEndpoint.Host.Observability;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /metrics</c> (with <c>--metrics</c>): Prometheus' text format, llama-server's <c>llamacpp:*</c> and vLLM's
/// <c>vllm:*</c> families (see docs/operations.md). It is not public: with API keys set, a scrape needs one.
/// </summary>
internal static class MetricsEndpoints
{
    public static void MapMetricsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (MetricsCollector collector) => Results.Text(collector.Scrape(), PrometheusText.ContentType));
}
