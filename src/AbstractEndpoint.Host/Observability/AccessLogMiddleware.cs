using System.Diagnostics;
using AbstractEndpoint.Host.Security;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// One log line per request, written when it ends: method, route (the matched pattern, never a query string),
/// status, duration, the generation's prompt/cached/generated tokens and time to first token (from the request's
/// <see cref="RequestRecord"/>), and the short id of the API key it came with. Never the key, never the prompt.
/// Probes (<c>/health</c>, <c>/v1/health</c>, <c>/metrics</c>) are logged at debug so that polling does not flood
/// the log, and so are the start-up warm-up's requests (<see cref="WarmupCredential"/>). It runs first, so the status is the one the client got, error mapping and 401s included.
/// </summary>
internal sealed partial class AccessLogMiddleware(
    RequestDelegate next, WarmupCredential warmup, ILogger<AccessLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var record = new RequestRecord { WarmUp = warmup.Matches(context.Request) };
        RequestRecord.Current = record;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            RequestRecord.Current = null;
            var probe = record.WarmUp || IsProbe(context.Request.Path);
            if (logger.IsEnabled(probe ? LogLevel.Debug : LogLevel.Information))
            {
                Write(context, record, Stopwatch.GetElapsedTime(record.Started), probe);
            }
        }
    }

    private void Write(HttpContext context, RequestRecord record, TimeSpan duration, bool probe)
    {
        // A client that left gets nginx's 499: the status set for it was never received.
        var status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern && !IsFallback(context)
            ? pattern
            : "(unmatched)";
        var keyId = ApiKeyMiddleware.KeyIdOf(context) ?? "-";
        var ttft = record.TimeToFirstToken is { } first ? Math.Round(first.TotalMilliseconds, 1) : (double?)null;
        var milliseconds = Math.Round(duration.TotalMilliseconds, 1);
        if (probe)
        {
            LogProbe(context.Request.Method, route, status, milliseconds, keyId);
        }
        else
        {
            LogRequest(context.Request.Method, route, status, milliseconds, record.PromptTokens, record.CachedTokens,
                record.GeneratedTokens, ttft, keyId);
        }
    }

    private static bool IsProbe(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/v1/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);

    // The fallback's pattern matches everything; naming it would read as a route. Unknown paths are not echoed:
    // a path is client text and may carry what should not be logged.
    private static bool IsFallback(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText?.Contains("{*", StringComparison.Ordinal) == true;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "{Method} {Route} {Status} {DurationMs} ms prompt={PromptTokens} cached={CachedTokens} generated={GeneratedTokens} ttft_ms={TtftMs} key={KeyId}")]
    private partial void LogRequest(string method, string route, int status, double durationMs, int promptTokens, int cachedTokens,
        int generatedTokens, double? ttftMs, string keyId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method} {Route} {Status} {DurationMs} ms key={KeyId}")]
    private partial void LogProbe(string method, string route, int status, double durationMs, string keyId);
}
