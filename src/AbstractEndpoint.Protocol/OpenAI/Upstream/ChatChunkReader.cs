using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Reads an upstream's <c>chat.completion.chunk</c> stream into domain updates, one chunk at a time (one reader per
/// stream). Tool calls get our own indexes, counted per choice in the order calls begin: upstreams that restart at 0,
/// skip numbers, or repeat index 0 with a new id for every call still give 0, 1, 2… Reasoning arrives as
/// <c>reasoning_content</c> (llama.cpp, vLLM, DeepSeek) or <c>reasoning</c> (OpenRouter, Ollama). Finish reasons are
/// held until the stream ends, because usage comes in a later chunk; <see cref="UpstreamChunkReader.Finish"/> then ends
/// every choice.
/// </summary>
public sealed class ChatChunkReader : UpstreamChunkReader
{
    private readonly Dictionary<(int Choice, int UpstreamIndex), (int Index, string? Id)> _calls = [];
    private readonly Dictionary<int, int> _callCounts = [];

    private protected override void ReadChoice(JsonElement choice, int index, List<ChatUpdate> updates)
    {
        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            if ((Text(delta, "reasoning_content") ?? Text(delta, "reasoning")) is { Length: > 0 } reasoning)
            {
                updates.Add(new ReasoningDelta(reasoning, index));
            }

            if (Text(delta, "content") is { Length: > 0 } content)
            {
                updates.Add(new ContentDelta(content, index));
            }

            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                foreach (var call in calls.EnumerateArray())
                {
                    updates.Add(ReadToolCall(index, call, position++));
                }
            }
        }
    }

    private ToolCallDelta ReadToolCall(int choice, JsonElement call, int position)
    {
        var upstreamIndex = call.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : position;
        var id = Text(call, "id");
        string? name = null;
        var arguments = "";
        if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            name = Text(function, "name");
            arguments = Text(function, "arguments") ?? "";
        }

        var key = (choice, upstreamIndex);
        var isNewCall = !_calls.TryGetValue(key, out var known)
            || (id is { Length: > 0 } && known.Id is { Length: > 0 } && id != known.Id);
        if (isNewCall)
        {
            var ours = _callCounts.GetValueOrDefault(choice);
            _callCounts[choice] = ours + 1;
            known = (ours, id);
            _calls[key] = known;
            return new ToolCallDelta(ours, id is { Length: > 0 } ? id : $"call_{choice}_{ours}", name ?? "", arguments, choice);
        }

        return new ToolCallDelta(known.Index, null, null, arguments, choice);
    }

    private static string? Text(JsonElement element, string name) => UpstreamChoiceTally.Text(element, name);
}
