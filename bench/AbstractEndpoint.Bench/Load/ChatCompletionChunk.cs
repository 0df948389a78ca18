using System.Text.Json;

namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// The parts of one streamed <c>chat.completion.chunk</c> (or of a whole non-streamed response) the load test needs.
/// </summary>
internal readonly record struct ChatCompletionChunk(
    string? Content, string? FinishReason, int? PromptTokens, int? CompletionTokens, string? Error)
{
    public static ChatCompletionChunk Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m)
                ? m.GetString()
                : error.ToString();
            return new ChatCompletionChunk(null, null, null, null, message ?? "error");
        }

        string? content = null;
        string? finishReason = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array &&
            choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            // Streaming puts text in "delta", a whole response in "message". Reasoning text is generated text too.
            if (choice.TryGetProperty("delta", out var delta) || choice.TryGetProperty("message", out delta))
            {
                content = Concatenate(Text(delta, "reasoning_content"), Text(delta, "content"));
            }

            finishReason = Text(choice, "finish_reason");
        }

        int? promptTokens = null;
        int? completionTokens = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            promptTokens = Integer(usage, "prompt_tokens");
            completionTokens = Integer(usage, "completion_tokens");
        }

        return new ChatCompletionChunk(content, finishReason, promptTokens, completionTokens, null);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Integer(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : null;

    private static string? Concatenate(string? first, string? second) =>
        string.IsNullOrEmpty(first) ? second : string.IsNullOrEmpty(second) ? first : first + second;
}
