using System.Buffers;
using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.Anthropic;

namespace AbstractEndpoint.Protocol.Tests.Anthropic;

/// <summary>Golden event sequences of Anthropic's stream and the non-streamed message, built from domain updates.</summary>
public sealed class AnthropicMessageStreamTests
{
    private static string Stream(int promptTokens, params ChatUpdate[] updates)
    {
        var stream = new AnthropicMessageStream("msg_test", "my-model");
        var buffer = new ArrayBufferWriter<byte>();
        stream.WriteStart(buffer, promptTokens);
        foreach (var update in updates)
        {
            stream.Write(buffer, update);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Message(params ChatUpdate[] updates)
    {
        var builder = new AnthropicMessageBuilder("msg_test", "my-model");
        foreach (var update in updates)
        {
            builder.Add(update);
        }

        var buffer = new ArrayBufferWriter<byte>();
        builder.WriteMessage(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Event(string type, string data) => $"event: {type}\ndata: {data}\n\n";

    private const string Start =
        """{"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"my-model","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":7,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}""";

    [Fact]
    public void Text_stream_is_one_text_block_between_start_and_stop()
    {
        var actual = Stream(
            7,
            new ContentDelta("Hel"),
            new LogprobsDelta([]),
            new ContentDelta("lo"),
            new ChatFinished(FinishReason.Length, new Usage(7, 2, 3)));

        Assert.Equal(
            Event("message_start", Start)
            + Event("ping", """{"type":"ping"}""")
            + Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":0}""")
            + Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":4,"cache_creation_input_tokens":0,"cache_read_input_tokens":3,"output_tokens":2}}""")
            + Event("message_stop", """{"type":"message_stop"}"""),
            actual);
    }

    [Fact]
    public void Reasoning_then_text_then_two_calls_are_four_blocks_in_order()
    {
        var actual = Stream(
            7,
            new ReasoningDelta("think"),
            new ContentDelta("ok"),
            new ToolCallDelta(0, "call_a", "f", ""),
            new ToolCallDelta(0, null, null, "{\"x\":"),
            new ToolCallDelta(0, null, null, "1}"),
            new ToolCallDelta(1, "call_b", "g", "{}"),
            new ChatFinished(FinishReason.ToolCalls, new Usage(7, 9, 0)));

        Assert.Equal(
            Event("message_start", Start)
            + Event("ping", """{"type":"ping"}""")
            + Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":0}""")
            + Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"ok"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":1}""")
            + Event("content_block_start", """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"call_a","name":"f","input":{}}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"x\":"}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"1}"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":2}""")
            + Event("content_block_start", """{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"call_b","name":"g","input":{}}}""")
            + Event("content_block_delta", """{"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{}"}}""")
            + Event("content_block_stop", """{"type":"content_block_stop","index":3}""")
            + Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":7,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}""")
            + Event("message_stop", """{"type":"message_stop"}"""),
            actual);
    }

    [Fact]
    public void Message_holds_thinking_text_and_parsed_tool_input_and_drops_a_failed_call()
    {
        var actual = Message(
            new ReasoningDelta("th"),
            new ReasoningDelta("ink"),
            new ContentDelta("ok"),
            new ToolCallDelta(0, "call_a", "f", ""),
            new ToolCallDelta(0, null, null, "{\"x\": 1}"),
            new ToolCallDelta(1, "call_b", "g", "{\"y\""),
            new ToolCallFailed(1, "cut"),
            new ChatFinished(FinishReason.ToolCalls, new Usage(10, 5, 4)));

        Assert.Equal(
            """{"id":"msg_test","type":"message","role":"assistant","model":"my-model","content":[{"type":"thinking","thinking":"think","signature":""},{"type":"text","text":"ok"},{"type":"tool_use","id":"call_a","name":"f","input":{"x": 1}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":6,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":5}}""",
            actual);
    }

    [Theory]
    [InlineData(FinishReason.Stop, null, "end_turn")]
    [InlineData(FinishReason.Stop, "END", "stop_sequence")]
    [InlineData(FinishReason.Length, null, "max_tokens")]
    [InlineData(FinishReason.ToolCalls, null, "tool_use")]
    public void Stop_reasons(FinishReason reason, string? stop, string expected)
    {
        var actual = Message(new ContentDelta("a"), new ChatFinished(reason, new Usage(1, 1, 0)) { StopSequence = stop });

        Assert.Contains($"\"stop_reason\":\"{expected}\"", actual, StringComparison.Ordinal);
        Assert.Contains(stop is null ? "\"stop_sequence\":null" : $"\"stop_sequence\":\"{stop}\"", actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_event_uses_anthropics_envelope()
    {
        var buffer = new ArrayBufferWriter<byte>();
        AnthropicMessageStream.WriteError(buffer, AnthropicError.ForStatus(529, "busy"));

        Assert.Equal(
            Event("error", """{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"""),
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
