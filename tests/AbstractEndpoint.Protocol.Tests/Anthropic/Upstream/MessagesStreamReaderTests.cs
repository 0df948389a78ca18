using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.Anthropic.Upstream;

namespace AbstractEndpoint.Protocol.Tests.Anthropic.Upstream;

public sealed class MessagesStreamReaderTests
{
    private static List<ChatUpdate> ReadAll(MessagesStreamReader reader, params string[] events) =>
        [.. events.SelectMany(e => reader.Read(Encoding.UTF8.GetBytes(e)))];

    [Fact]
    public void Text_thinking_and_the_stop_reason_become_updates_and_cached_tokens_count_in_the_prompt()
    {
        var reader = new MessagesStreamReader();
        var updates = ReadAll(
            reader,
            """{"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":30,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}""",
            """{"type":"ping"}""",
            """{"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":7}}""",
            """{"type":"message_stop"}""");

        Assert.Equal([new ReasoningDelta("hmm"), new ContentDelta("Hello")], updates);
        var finished = Assert.IsType<ChatFinished>(Assert.Single(reader.Finish()));
        Assert.Equal(FinishReason.Stop, finished.Reason);
        Assert.Equal("END", finished.StopSequence);
        Assert.Equal(new Usage(40, 7, 30), finished.Usage);
    }

    [Fact]
    public void Tool_use_blocks_become_tool_calls_numbered_from_zero()
    {
        var reader = new MessagesStreamReader();
        var updates = ReadAll(
            reader,
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_2","name":"now","input":{}}}""",
            """{"type":"content_block_stop","index":2}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}""");

        Assert.Equal(
            [
                new ToolCallDelta(0, "toolu_1", "get_weather", ""),
                new ToolCallDelta(0, null, null, "{\"city\":"),
                new ToolCallDelta(0, null, null, "\"Paris\"}"),
                new ToolCallDelta(1, "toolu_2", "now", ""),
                new ToolCallDelta(1, null, null, "{}"),
            ],
            updates);
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<ChatFinished>(Assert.Single(reader.Finish())).Reason);
    }

    [Fact]
    public void Max_tokens_is_length_an_error_event_throws_and_a_stream_without_a_stop_reason_is_incomplete()
    {
        var reader = new MessagesStreamReader();
        ReadAll(reader, """{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":5}}""");
        Assert.Equal(FinishReason.Length, Assert.IsType<ChatFinished>(Assert.Single(reader.Finish())).Reason);

        var failing = new MessagesStreamReader();
        var error = Assert.Throws<UpstreamException>(() =>
            ReadAll(failing, """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        Assert.Contains("Overloaded", error.Message, StringComparison.Ordinal);

        Assert.Throws<UpstreamException>(() => new MessagesStreamReader().Finish());
    }

    [Fact]
    public void The_answer_tools_input_is_the_content_and_the_reply_ends_as_a_plain_one()
    {
        var reader = new MessagesStreamReader(MessagesRequestWireWriter.AnswerToolName);
        var updates = ReadAll(
            reader,
            """{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"json_answer","input":{}}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"name\":"}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"Tom\"}"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":6}}""");

        Assert.Equal([new ContentDelta("{\"name\":"), new ContentDelta("\"Tom\"}")], updates);
        Assert.Equal(FinishReason.Stop, Assert.IsType<ChatFinished>(Assert.Single(reader.Finish())).Reason);
    }

    [Fact]
    public void Next_to_the_answer_tool_a_real_call_keeps_index_zero_and_tool_calls()
    {
        var reader = new MessagesStreamReader(MessagesRequestWireWriter.AnswerToolName);
        var updates = ReadAll(
            reader,
            """{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_a","name":"json_answer","input":{}}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_b","name":"lookup","input":{}}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}""",
            """{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":6}}""");

        Assert.Equal([new ContentDelta("{}"), new ToolCallDelta(0, "toolu_b", "lookup", ""), new ToolCallDelta(0, null, null, "{}")], updates);
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<ChatFinished>(Assert.Single(reader.Finish())).Reason);
    }
}
