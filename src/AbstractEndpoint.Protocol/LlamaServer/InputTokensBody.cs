using System.Text.Json.Serialization;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>
/// <c>POST /v1/chat/completions/input_tokens</c>'s answer, shaped like OpenAI's <c>/v1/responses/input_tokens</c>
/// (<c>{"object": "response.input_tokens", "input_tokens": n}</c>) with the chat object's name.
/// </summary>
public sealed record InputTokensBody(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("input_tokens")] int InputTokens)
{
    public static InputTokensBody Of(int tokens) => new("chat.completion.input_tokens", tokens);
}
