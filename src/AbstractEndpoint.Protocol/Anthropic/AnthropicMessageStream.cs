using System.Buffers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>
/// Turns the domain's updates into Anthropic's stream: <c>message_start</c> and <c>ping</c>, then for each content
/// block <c>content_block_start</c>, its deltas (<c>thinking_delta</c>, <c>text_delta</c>, <c>input_json_delta</c>) and
/// <c>content_block_stop</c>, then <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>. A block is
/// closed when output of another kind (or another call) begins, as Anthropic never interleaves blocks.
/// </summary>
public sealed class AnthropicMessageStream(string id, string model)
{
    private AnthropicContentBlockKind? _open;
    private int _index = -1;

    public string Id { get; } = id;

    /// <summary><c>message_start</c> (an empty message with the prompt's size) and a first <c>ping</c>.</summary>
    public void WriteStart(IBufferWriter<byte> output, int promptTokens)
    {
        WriteEvent(output, "message_start", json =>
        {
            json.WriteStartObject("message");
            json.WriteString("id", Id);
            json.WriteString("type", "message");
            json.WriteString("role", "assistant");
            json.WriteString("model", model);
            json.WriteStartArray("content");
            json.WriteEndArray();
            json.WriteNull("stop_reason");
            json.WriteNull("stop_sequence");
            json.WritePropertyName("usage");
            AnthropicMessageBuilder.WriteUsage(json, new Usage(promptTokens, 0, 0));
            json.WriteEndObject();
        });
        WriteEvent(output, "ping", static _ => { });
    }

    /// <summary>The events one update makes (none for log probabilities, which Anthropic does not have).</summary>
    public void Write(IBufferWriter<byte> output, ChatUpdate update)
    {
        switch (update)
        {
            case ReasoningDelta delta when delta.Text.Length > 0:
                Open(output, new AnthropicContentBlock(AnthropicContentBlockKind.Thinking));
                WriteDelta(output, "thinking_delta", "thinking", delta.Text);
                break;
            case ContentDelta delta when delta.Text.Length > 0:
                Open(output, new AnthropicContentBlock(AnthropicContentBlockKind.Text));
                WriteDelta(output, "text_delta", "text", delta.Text);
                break;
            case ToolCallDelta { Id: { } callId } delta:
                Close(output);
                Open(output, new AnthropicContentBlock(AnthropicContentBlockKind.ToolUse, callId, delta.Name));
                WriteArguments(output, delta.ArgumentsFragment);
                break;
            case ToolCallDelta delta:
                WriteArguments(output, delta.ArgumentsFragment);
                break;
            case ChatFinished finished:
                Close(output);
                WriteEvent(output, "message_delta", json =>
                {
                    json.WriteStartObject("delta");
                    json.WriteString("stop_reason", AnthropicStopReasons.ToWire(finished));
                    AnthropicMessageBuilder.WriteNullable(json, "stop_sequence", finished.StopSequence);
                    json.WriteEndObject();
                    json.WritePropertyName("usage");
                    AnthropicMessageBuilder.WriteUsage(json, finished.Usage);
                });
                WriteEvent(output, "message_stop", static _ => { });
                break;
        }
    }

    /// <summary>An <c>error</c> event: the stream's status is already sent.</summary>
    public static void WriteError(IBufferWriter<byte> output, AnthropicError error)
    {
        output.Write("event: error\ndata: "u8);
        error.WriteTo(output);
        output.Write("\n\n"u8);
    }

    private void WriteArguments(IBufferWriter<byte> output, string fragment)
    {
        if (fragment.Length > 0)
        {
            WriteDelta(output, "input_json_delta", "partial_json", fragment);
        }
    }

    private void Open(IBufferWriter<byte> output, AnthropicContentBlock block)
    {
        if (_open == block.Kind && block.Kind != AnthropicContentBlockKind.ToolUse)
        {
            return;
        }

        Close(output);
        _open = block.Kind;
        _index++;
        WriteEvent(output, "content_block_start", json =>
        {
            json.WriteNumber("index", _index);
            json.WritePropertyName("content_block");
            AnthropicMessageBuilder.WriteBlock(json, block, complete: false);
        });
    }

    private void Close(IBufferWriter<byte> output)
    {
        if (_open is null)
        {
            return;
        }

        _open = null;
        WriteEvent(output, "content_block_stop", json => json.WriteNumber("index", _index));
    }

    private void WriteDelta(IBufferWriter<byte> output, string type, string field, string text) =>
        WriteEvent(output, "content_block_delta", json =>
        {
            json.WriteNumber("index", _index);
            json.WriteStartObject("delta");
            json.WriteString("type", type);
            json.WriteString(field, text);
            json.WriteEndObject();
        });

    private static void WriteEvent(IBufferWriter<byte> output, string type, Action<Utf8JsonWriter> writeBody)
    {
        output.Write(Encoding.UTF8.GetBytes($"event: {type}\ndata: "));
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            writeBody(json);
            json.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
