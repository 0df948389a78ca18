using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Anthropic.Upstream;

/// <summary>
/// Reads an Anthropic Messages stream, one event's data at a time, into the domain's updates as they come:
/// <c>text_delta</c> → content, <c>thinking_delta</c> → reasoning, a <c>tool_use</c> block and its
/// <c>input_json_delta</c>s → one tool call (numbered from 0 in the order the calls begin), <c>message_delta</c>'s
/// <c>stop_reason</c> → the finish reason. Usage follows OpenAI's meaning: the prompt counts every input token, cached
/// ones (<c>cache_read_input_tokens</c>, <c>cache_creation_input_tokens</c>) included, and the cache reads are the
/// cached tokens. An <c>error</c> event is an <see cref="UpstreamException"/>. The answer tool of a JSON
/// <c>response_format</c> (<see cref="MessagesRequestWireWriter.AnswerTool"/>) is not a call: its input is the
/// reply's content, and a reply that only used it ends with <c>stop</c>.
/// </summary>
/// <param name="answerTool">The tool whose input is the reply's content, or null.</param>
public sealed class MessagesStreamReader(string? answerTool = null) : IUpstreamChatStreamReader
{
    private readonly Dictionary<int, ToolBlock> _tools = [];
    private readonly Dictionary<int, bool> _answers = [];
    private int _calls;
    private int _inputTokens;
    private int _cacheRead;
    private int _cacheCreation;
    private int _outputTokens;
    private FinishReason? _finish;
    private string? _stopSequence;
    private bool _sawUsage;

    public Usage? Usage => _sawUsage ? new Usage(_inputTokens + _cacheRead + _cacheCreation, _outputTokens, _cacheRead) : null;

    public IReadOnlyList<ChatUpdate> Read(ReadOnlySpan<byte> chunkJson)
    {
        using var document = JsonDocument.Parse(chunkJson.ToArray());
        var root = document.RootElement;
        var updates = new List<ChatUpdate>();
        switch (Text(root, "type"))
        {
            case "message_start":
                if (root.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var startUsage))
                {
                    ReadUsage(startUsage);
                }

                break;
            case "content_block_start":
                if (root.TryGetProperty("content_block", out var block) && Text(block, "type") == "tool_use")
                {
                    if (answerTool is not null && Text(block, "name") == answerTool)
                    {
                        _answers[Index(root)] = false;
                        break;
                    }

                    var tool = new ToolBlock(_calls++);
                    _tools[Index(root)] = tool;
                    updates.Add(new ToolCallDelta(tool.Ordinal, Text(block, "id"), Text(block, "name"), ""));
                }

                break;
            case "content_block_delta":
                ReadDelta(root, updates);
                break;
            case "content_block_stop":
                // A call without arguments still needs an object: OpenAI's clients parse the arguments.
                if (_tools.TryGetValue(Index(root), out var stopped) && !stopped.HasArguments)
                {
                    updates.Add(new ToolCallDelta(stopped.Ordinal, null, null, "{}"));
                }
                else if (_answers.TryGetValue(Index(root), out var answered) && !answered)
                {
                    updates.Add(new ContentDelta("{}"));
                }

                break;
            case "message_delta":
                if (root.TryGetProperty("delta", out var delta))
                {
                    _finish = Text(delta, "stop_reason") switch
                    {
                        "max_tokens" => FinishReason.Length,
                        // Only the answer tool was used: the reply is its content, and it ended as a plain reply does.
                        "tool_use" => _calls > 0 ? FinishReason.ToolCalls : FinishReason.Stop,
                        null => _finish,
                        _ => FinishReason.Stop,
                    };
                    _stopSequence = Text(delta, "stop_sequence") ?? _stopSequence;
                }

                if (root.TryGetProperty("usage", out var deltaUsage))
                {
                    ReadUsage(deltaUsage);
                }

                break;
            case "error":
                throw root.TryGetProperty("error", out var error)
                    ? UpstreamErrorReader.FromErrorElement(error, 502, "The upstream reported an error mid-stream")
                    : new UpstreamException("The upstream reported an error mid-stream.", 502);
        }

        return updates;
    }

    /// <summary>The one <see cref="ChatFinished"/>, once the stream has ended.</summary>
    public IReadOnlyList<ChatUpdate> Finish()
    {
        if (_finish is not { } reason)
        {
            throw new UpstreamException("The upstream's stream ended before it finished the reply.", 502, code: "upstream_incomplete");
        }

        return [new ChatFinished(reason, Usage ?? new Usage(0, 0, 0)) { StopSequence = _stopSequence }];
    }

    private void ReadDelta(JsonElement root, List<ChatUpdate> updates)
    {
        if (!root.TryGetProperty("delta", out var delta))
        {
            return;
        }

        switch (Text(delta, "type"))
        {
            case "text_delta" when Text(delta, "text") is { Length: > 0 } text:
                updates.Add(new ContentDelta(text));
                break;
            case "thinking_delta" when Text(delta, "thinking") is { Length: > 0 } thinking:
                updates.Add(new ReasoningDelta(thinking));
                break;
            case "input_json_delta" when Text(delta, "partial_json") is { Length: > 0 } json && _tools.TryGetValue(Index(root), out var tool):
                tool.HasArguments = true;
                updates.Add(new ToolCallDelta(tool.Ordinal, null, null, json));
                break;
            case "input_json_delta" when Text(delta, "partial_json") is { Length: > 0 } json && _answers.ContainsKey(Index(root)):
                _answers[Index(root)] = true;
                updates.Add(new ContentDelta(json));
                break;
        }
    }

    private void ReadUsage(JsonElement usage)
    {
        _sawUsage = true;
        _inputTokens = Number(usage, "input_tokens") ?? _inputTokens;
        _cacheRead = Number(usage, "cache_read_input_tokens") ?? _cacheRead;
        _cacheCreation = Number(usage, "cache_creation_input_tokens") ?? _cacheCreation;
        _outputTokens = Number(usage, "output_tokens") ?? _outputTokens;
    }

    private static int Index(JsonElement root) => Number(root, "index") ?? 0;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    /// <summary>A <c>tool_use</c> block: which call it is, and whether any argument text came.</summary>
    private sealed class ToolBlock(int ordinal)
    {
        public int Ordinal { get; } = ordinal;

        public bool HasArguments { get; set; }
    }
}
