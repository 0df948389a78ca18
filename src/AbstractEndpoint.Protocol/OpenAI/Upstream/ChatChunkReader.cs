using System.Text.Json;
using AbstractEndpoint.Core.Errors;
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
    private readonly Dictionary<int, FinishReason> _finished = [];
    private readonly HashSet<int> _choices = [];
    private readonly Dictionary<(int Choice, int UpstreamIndex), (int Index, string? Id)> _calls = [];
    private readonly Dictionary<int, int> _callCounts = [];
    private Usage? _usage;

    /// <summary>The upstream's usage, once a chunk carried it.</summary>
    public Usage? Usage => _usage;

    /// <summary>The updates one chunk (the JSON after <c>data: </c>) carries; an error event throws its error.</summary>
    public IReadOnlyList<ChatUpdate> Read(ReadOnlySpan<byte> chunkJson)
    {
        using var document = JsonDocument.Parse(chunkJson.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("a stream chunk is not a JSON object");
        }

        if (root.TryGetProperty("error", out var error))
        {
            throw UpstreamErrorReader.FromErrorElement(error, 502, "the upstream reported an error in the stream");
        }

        var updates = new List<ChatUpdate>();
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                ReadChoice(choice, updates);
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = ReadUsage(usage);
        }

        return updates;
    }

    /// <summary>
    /// One <see cref="ChatFinished"/> per choice, in choice order, once the stream has ended. The upstream's usage is
    /// the request's: its completion tokens go to choice 0 (an upstream does not split them by choice).
    /// </summary>
    public IReadOnlyList<ChatUpdate> Finish()
    {
        var unfinished = _choices.Where(c => !_finished.ContainsKey(c)).Order().ToList();
        if (unfinished.Count > 0 || _finished.Count == 0)
        {
            throw new UpstreamException(
                "The upstream's stream ended before it finished the reply.", 502, code: "upstream_incomplete");
        }

        var usage = _usage ?? new Usage(0, 0, 0);
        return [.. _finished.OrderBy(f => f.Key).Select(f => new ChatFinished(
            f.Value, f.Key == 0 ? usage : new Usage(usage.PromptTokens, 0, usage.CachedTokens), f.Key))];
    }

    private void ReadChoice(JsonElement choice, List<ChatUpdate> updates)
    {
        var index = choice.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : 0;
        _choices.Add(index);
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

        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            _finished[index] = finish.GetString() switch
            {
                "length" => FinishReason.Length,
                "tool_calls" or "function_call" => FinishReason.ToolCalls,
                _ => FinishReason.Stop,
            };
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

    private static Usage ReadUsage(JsonElement usage)
    {
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Number(details, "cached_tokens") : 0;
        return new Usage(Number(usage, "prompt_tokens"), Number(usage, "completion_tokens"), cached);
    }

    private static int Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number : 0;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
