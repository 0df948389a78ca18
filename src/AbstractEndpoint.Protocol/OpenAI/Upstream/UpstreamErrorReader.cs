using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Turns an upstream's error reply into an <see cref="UpstreamException"/> with the upstream's status and message.
/// OpenAI-style servers send <c>{"error":{"message","type","code"}}</c>; some send <c>{"error":"text"}</c> or
/// <c>{"detail":…}</c>, and proxies send HTML: whatever it is, the client learns the status and a readable reason.
/// </summary>
public static class UpstreamErrorReader
{
    /// <summary>Most characters of a non-JSON body quoted in the message.</summary>
    private const int MaxQuoted = 300;

    public static UpstreamException FromResponse(int status, ReadOnlySpan<byte> body, string upstream)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                return FromErrorElement(error, status, $"{upstream} answered {status}");
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("detail", out var detail))
            {
                return new UpstreamException($"{upstream} answered {status}: {Describe(detail)}", status, TypeFor(status), CodeFor(status));
            }
        }
        catch (JsonException)
        {
            // Not JSON: quote the start of the text below.
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length > MaxQuoted)
        {
            text = text[..MaxQuoted] + "…";
        }

        return new UpstreamException(
            text.Length == 0 ? $"{upstream} answered {status}." : $"{upstream} answered {status}: {text}", status, TypeFor(status), CodeFor(status));
    }

    /// <summary>An <c>error</c> member (object or text) as an exception with <paramref name="status"/>.</summary>
    public static UpstreamException FromErrorElement(JsonElement error, int status, string prefix)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return new UpstreamException($"{prefix}: {Describe(error)}", status, TypeFor(status), CodeFor(status));
        }

        var message = error.TryGetProperty("message", out var m) ? Describe(m) : error.GetRawText();
        // A 401/403 keeps an "upstream" type and code whatever the upstream called them: the client's key is not at fault.
        var own = status is not (401 or 403);
        var type = own && error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : TypeFor(status);
        var code = own && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : CodeFor(status);
        return new UpstreamException($"{prefix}: {message}", status, type, code);
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string TypeFor(int status) => status switch
    {
        401 or 403 => "authentication_error",
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "upstream_error",
    };

    /// <summary>Codes that say "upstream" so a client tells the upstream's 401/403 from this server's own key check.</summary>
    private static string CodeFor(int status) => status switch
    {
        401 => "upstream_unauthorized",
        403 => "upstream_forbidden",
        429 => "upstream_rate_limited",
        _ => "upstream_error",
    };
}
