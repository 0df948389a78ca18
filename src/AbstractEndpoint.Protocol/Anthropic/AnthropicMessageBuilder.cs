using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>
/// Assembles the non-streamed <c>/v1/messages</c> reply from the domain's updates: reasoning becomes a
/// <c>thinking</c> block, content a <c>text</c> block, each call a <c>tool_use</c> block with its parsed input,
/// in the order the model produced them.
/// </summary>
public sealed class AnthropicMessageBuilder(string id, string model)
{
    private readonly List<AnthropicContentBlock> _blocks = [];
    private readonly Dictionary<int, AnthropicContentBlock> _calls = [];

    public string Id { get; } = id;

    public ChatFinished? Finished { get; private set; }

    public IReadOnlyList<AnthropicContentBlock> Blocks => _blocks;

    public void Add(ChatUpdate update)
    {
        switch (update)
        {
            case ReasoningDelta delta:
                Current(AnthropicContentBlockKind.Thinking).Text.Append(delta.Text);
                break;
            case ContentDelta delta:
                Current(AnthropicContentBlockKind.Text).Text.Append(delta.Text);
                break;
            case ToolCallDelta { Id: { } callId } delta:
                var call = new AnthropicContentBlock(AnthropicContentBlockKind.ToolUse, callId, delta.Name);
                call.Text.Append(delta.ArgumentsFragment);
                _calls[delta.Index] = call;
                _blocks.Add(call);
                break;
            case ToolCallDelta delta:
                _calls[delta.Index].Text.Append(delta.ArgumentsFragment);
                break;
            case ToolCallFailed failed when _calls.TryGetValue(failed.Index, out var broken):
                broken.Failed = true;
                break;
            case ChatFinished finished:
                Finished = finished;
                break;
        }
    }

    /// <summary>The <c>message</c> object; call after the <see cref="ChatFinished"/> update.</summary>
    public void WriteMessage(IBufferWriter<byte> output)
    {
        var finished = Finished ?? throw new InvalidOperationException("The reply has not finished.");
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("id", Id);
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", model);
        json.WriteStartArray("content");
        foreach (var block in _blocks.Where(b => !b.Failed))
        {
            WriteBlock(json, block, complete: true);
        }

        json.WriteEndArray();
        json.WriteString("stop_reason", AnthropicStopReasons.ToWire(finished));
        WriteNullable(json, "stop_sequence", finished.StopSequence);
        json.WritePropertyName("usage");
        WriteUsage(json, finished.Usage);
        json.WriteEndObject();
    }

    /// <summary>A block: whole (<paramref name="complete"/>) or empty, as a stream's <c>content_block_start</c> opens it.</summary>
    internal static void WriteBlock(Utf8JsonWriter json, AnthropicContentBlock block, bool complete)
    {
        json.WriteStartObject();
        switch (block.Kind)
        {
            case AnthropicContentBlockKind.Thinking:
                json.WriteString("type", "thinking");
                json.WriteString("thinking", complete ? block.Text.ToString() : "");
                json.WriteString("signature", ""); // Nothing to sign: the thinking comes back as sent.
                break;
            case AnthropicContentBlockKind.Text:
                json.WriteString("type", "text");
                json.WriteString("text", complete ? block.Text.ToString() : "");
                break;
            case AnthropicContentBlockKind.ToolUse:
                json.WriteString("type", "tool_use");
                json.WriteString("id", block.Id);
                json.WriteString("name", block.Name);
                json.WritePropertyName("input");
                if (complete && block.Text.Length > 0)
                {
                    json.WriteRawValue(block.Text.ToString(), skipInputValidation: false);
                }
                else
                {
                    json.WriteStartObject();
                    json.WriteEndObject();
                }

                break;
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// Anthropic's usage: <c>input_tokens</c> are the prompt tokens computed, <c>cache_read_input_tokens</c> the ones
    /// whose KV cells were reused; together they are the prompt.
    /// </summary>
    internal static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject();
        json.WriteNumber("input_tokens", usage.PromptTokens - usage.CachedTokens);
        json.WriteNumber("cache_creation_input_tokens", 0);
        json.WriteNumber("cache_read_input_tokens", usage.CachedTokens);
        json.WriteNumber("output_tokens", usage.CompletionTokens);
        json.WriteEndObject();
    }

    internal static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private AnthropicContentBlock Current(AnthropicContentBlockKind kind)
    {
        if (_blocks.Count > 0 && _blocks[^1].Kind == kind)
        {
            return _blocks[^1];
        }

        var block = new AnthropicContentBlock(kind);
        _blocks.Add(block);
        return block;
    }
}
