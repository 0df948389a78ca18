using System.Buffers;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.PromptCaching.Binding;
using AbstractEndpoint.Protocol.OpenAI;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Host.Errors;

/// <summary>
/// The one place where exceptions become HTTP statuses and OpenAI error bodies (Anthropic's envelope on Anthropic's
/// routes, see <see cref="AnthropicErrorShape"/>).
/// </summary>
internal static class ErrorResponses
{
    public static (int Status, OpenAIError Error) From(Exception exception) => exception switch
    {
        PromptCacheBindingException e => (e.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            new OpenAIError(e.Message, "invalid_request_error", e.Param, e.Code) { Details = PromptCacheBindingErrorDetails.Of(e) }),
        InvalidRequestException e => (StatusCodes.Status400BadRequest, new OpenAIError(e.Message, "invalid_request_error", e.Param, e.Code)),
        NotFoundException e => (StatusCodes.Status404NotFound, new OpenAIError(e.Message, "invalid_request_error", e.Param, e.Code)),
        ServerBusyException e => (StatusCodes.Status503ServiceUnavailable, new OpenAIError(e.Message, "server_error", null, e.Code)),
        UpstreamException e => (e.StatusCode, new OpenAIError(e.Message, e.Type, null, e.Code)),
        RequestTimeoutException e => (StatusCodes.Status504GatewayTimeout, new OpenAIError(e.Message, "server_error", null, "timeout")),
        BadHttpRequestException e => (e.StatusCode, new OpenAIError(e.Message, "invalid_request_error", null, "bad_request")),
        _ => (StatusCodes.Status500InternalServerError,
            new OpenAIError("The server had an error while processing your request: " + exception.Message, "server_error")),
    };

    public static async Task WriteAsync(HttpContext context, int status, OpenAIError error, int? retryAfterSeconds = null)
    {
        if (AnthropicErrorShape.Applies(context))
        {
            await AnthropicErrorShape.WriteAsync(context, status, error.Message, retryAfterSeconds).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var buffer = new ArrayBufferWriter<byte>();
        error.WriteTo(buffer);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task WriteAsync(HttpContext context, Exception exception)
    {
        var (status, error) = From(exception);
        return WriteAsync(context, status, error, (exception as ServerBusyException)?.RetryAfterSeconds ?? (exception as UpstreamException)?.RetryAfterSeconds);
    }

    /// <summary>The fallback route: 405 when the path exists for another method, else 404.</summary>
    public static Task NotFoundAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var pathExists = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Any(e => string.Equals("/" + e.RoutePattern.RawText?.TrimStart('/'), path, StringComparison.OrdinalIgnoreCase));
        return pathExists
            ? WriteAsync(context, StatusCodes.Status405MethodNotAllowed, new OpenAIError(
                $"Method {context.Request.Method} is not allowed on {path}.", "invalid_request_error", null, "method_not_allowed"))
            : WriteAsync(context, StatusCodes.Status404NotFound, new OpenAIError(
                $"Unknown route: {context.Request.Method} {path}.", "invalid_request_error", null, "unknown_url"));
    }
}
