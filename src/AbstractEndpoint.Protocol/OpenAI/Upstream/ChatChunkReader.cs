using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Reads an upstream's <c>chat.completion.chunk</c> stream into domain updates, one chunk at a time (one reader per
/// stream). Tool calls get our own indexes, counted per choice in the order calls begin: upstreams that restart at 0,
/// skip numbers, or repeat index 0 with a new id for every call still give 0, 1, 2… Reasoning arrives as
/// <c>reasoning_content</c> (llama.cpp, vLLM, DeepSeek) or <c>reasoning</c> (OpenRouter, Ollama). Finish reasons are
/// held until the stream ends, because usage comes in a later chunk; <see cref="Finish"/> then ends every choice.
/// </summary>
public sealed class ChatChunkReader : IUpstreamChatStreamReader
{
    private readonly UpstreamChoiceTally _tally = new();
    private readonly Dictionary<(int Choice, int UpstreamIndex), (int Index, string? Id)> _calls = [];
    private readonly Dictionary<int, int> _callCounts = [];

    /// <summary>The upstream's usage, once a chunk carried it.</summary>
    public Usage? Usage => _tally.Usage;

    /// <summary>The updates one chunk (the JSON after <c>data: </c>) carries; an error event throws its error.</summary>
    public IReadOnlyList<ChatUpdate> Read(ReadOnlySpan<byte> chunkJson)
    {
        using var document = JsonDocument.Parse(chunkJson.ToArray());
        var root = document.RootElement;
        _tally.ReadChunk(root);
        var updates = new List<ChatUpdate>();
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                ReadChoice(choice, updates);
            }
        }

        return updates;
    }

    /// <summary>
    /// One <see cref="ChatFinished"/> per choice, in choice order, once the stream has ended (the upstream's
    /// <c>abstractcore</c> telemetry on each when it sent one). The upstream's usage is the request's: its completion
    /// tokens go to choice 0 (an upstream does not split them by choice).
    /// </summary>
    public IReadOnlyList<ChatUpdate> Finish() => _tally.Finish();

    private void ReadChoice(JsonElement choice, List<ChatUpdate> updates)
    {
        var index = UpstreamChoiceTally.ChoiceIndex(choice);
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

        _tally.Saw(index, choice);
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
