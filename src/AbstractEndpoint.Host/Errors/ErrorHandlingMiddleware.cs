namespace AbstractEndpoint.Host.Errors;

/// <summary>
/// Turns anything a handler throws into an OpenAI error body (never a bare 500 page).
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
#pragma warning disable CA1031 // Every failure becomes a JSON error; the server keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var (status, _) = ErrorResponses.From(ex);
            if (status >= 500 && ex is not (Core.Errors.ServerBusyException or Core.Errors.UpstreamException or RequestTimeoutException))
            {
                LogUnhandled(ex, context.Request.Path);
            }

            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.Clear();
            await ErrorResponses.WriteAsync(context, ex).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request to {Path} failed")]
    private partial void LogUnhandled(Exception ex, string path);
}
