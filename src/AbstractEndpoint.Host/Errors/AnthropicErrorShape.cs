using System.Buffers;
using AbstractEndpoint.Protocol.Anthropic;

namespace AbstractEndpoint.Host.Errors;

/// <summary>
/// Errors on Anthropic's routes (<c>/v1/messages…</c>) in Anthropic's envelope and statuses, so its SDKs raise their
/// own typed errors (an overloaded server is 529, which they retry); every other route keeps OpenAI's shape.
/// </summary>
internal static class AnthropicErrorShape
{
    public static bool Applies(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteAsync(HttpContext context, int status, string message, int? retryAfterSeconds)
    {
        var wireStatus = status == StatusCodes.Status503ServiceUnavailable ? AnthropicError.OverloadedStatus : status;
        context.Response.StatusCode = wireStatus;
        context.Response.ContentType = "application/json";
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var buffer = new ArrayBufferWriter<byte>();
        AnthropicError.ForStatus(wireStatus, message).WriteTo(buffer);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
