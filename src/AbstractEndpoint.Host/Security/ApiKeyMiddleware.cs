using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// With API keys configured, every request but the public ones must carry a key (<c>Authorization: Bearer</c> or
/// <c>x-api-key</c>). The check runs before routing, so an unknown path without a key is a 401 like a known one: a
/// caller without a key learns nothing about which routes exist. The 401 body is in the route family's own error
/// shape, keyed on the path prefix (Anthropic's envelope under <c>/v1/messages</c>, OpenAI's elsewhere). The start-up
/// warm-up's requests pass with the server's own short-lived <see cref="WarmupCredential"/> instead of a key.
/// </summary>
internal sealed class ApiKeyMiddleware(
    RequestDelegate next, ApiKeySet keys, WarmupCredential warmup, EndpointOptions options)
{
    /// <summary>Where the matched key's short id is kept for the request log.</summary>
    public const string KeyIdItem = "abstractendpoint.key-id";

    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.IsEmpty || IsPublic(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (warmup.Matches(context.Request))
        {
            // The server's own warm-up: it needs no user's key, and its pass expires when the warm-up ends.
            context.Items[KeyIdItem] = "warm-up";
            await next(context).ConfigureAwait(false);
            return;
        }

        if (PresentedKey(context.Request) is { } presented && keys.TryMatch(presented, out var keyId))
        {
            context.Items[KeyIdItem] = keyId;
            await next(context).ConfigureAwait(false);
            return;
        }

        await WriteUnauthorizedAsync(context).ConfigureAwait(false);
    }

    /// <summary>The short id of the key the request was let in with; null without keys or on public routes.</summary>
    public static string? KeyIdOf(HttpContext context) => context.Items.TryGetValue(KeyIdItem, out var id) ? id as string : null;

    private bool IsPublic(HttpRequest request)
    {
        // A CORS preflight carries no credentials by design; it must be answered for the real request to be sent.
        if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            return true;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? "";
        return path.Equals("/health", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/v1/health", StringComparison.OrdinalIgnoreCase)
            || (!options.NoWebUi && (path is "/" or "" || path.Equals("/ui", StringComparison.OrdinalIgnoreCase)
                || path.Equals("/ui/", StringComparison.OrdinalIgnoreCase)));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey.Trim() : null;
    }

    private static async Task WriteUnauthorizedAsync(HttpContext context)
    {
        var anthropic = context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "application/json";
        context.Response.Headers.WWWAuthenticate = "Bearer";

        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (anthropic)
            {
                json.WriteString("type", "error");
                json.WriteStartObject("error");
                json.WriteString("type", "authentication_error");
                json.WriteString("message", "invalid x-api-key");
                json.WriteEndObject();
            }
            else
            {
                json.WriteStartObject("error");
                json.WriteString("message", "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
                json.WriteString("type", "invalid_request_error");
                json.WriteNull("param");
                json.WriteString("code", "invalid_api_key");
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
