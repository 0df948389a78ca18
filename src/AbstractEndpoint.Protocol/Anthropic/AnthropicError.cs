using System.Buffers;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>Anthropic's error envelope: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
/// <param name="Type">Anthropic's error type (<c>invalid_request_error</c>, <c>not_found_error</c>, …).</param>
/// <param name="Message">What went wrong.</param>
public sealed record AnthropicError(string Type, string Message)
{
    /// <summary>Anthropic's status for an overloaded server, which its clients retry.</summary>
    public const int OverloadedStatus = 529;

    /// <summary>The error an HTTP status means in Anthropic's vocabulary.</summary>
    public static AnthropicError ForStatus(int status, string message) => new(
        status switch
        {
            400 or 405 or 415 or 422 => "invalid_request_error",
            401 => "authentication_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            503 or OverloadedStatus => "overloaded_error",
            _ => "api_error",
        },
        message);

    public void WriteTo(IBufferWriter<byte> output)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteStartObject("error");
        json.WriteString("type", Type);
        json.WriteString("message", Message);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
