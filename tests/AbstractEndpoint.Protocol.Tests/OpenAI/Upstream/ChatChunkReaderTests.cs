using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

public sealed class ChatChunkReaderTests
{
    private static IReadOnlyList<ChatUpdate> Read(ChatChunkReader reader, string json) => reader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Content_reasoning_finish_and_usage_become_domain_updates()
    {
        var reader = new ChatChunkReader();

        Assert.Empty(Read(reader, """{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"""));
        Assert.Equal([new ReasoningDelta("think")], Read(reader, """{"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}"""));
        Assert.Equal([new ReasoningDelta("more")], Read(reader, """{"choices":[{"index":0,"delta":{"reasoning":"more"}}]}"""));
        Assert.Equal([new ContentDelta("Hi")], Read(reader, """{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"length"}]}"""));
        Assert.Empty(Read(reader, """{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}}"""));

        Assert.Equal([new ChatFinished(FinishReason.Length, new Usage(7, 3, 4))], reader.Finish());
    }

    [Fact]
    public void Tool_calls_get_our_own_indexes_whatever_the_upstream_numbered()
    {
        var reader = new ChatChunkReader();

        // An upstream that starts at 3 and one that repeats index 0 with a new id for a second call.
        var first = Read(reader, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"id":"call_a","type":"function","function":{"name":"f","arguments":""}}]}}]}""");
        var args = Read(reader, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"function":{"arguments":"{}"}}]}}]}""");
        var second = Read(reader, """{"choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"id":"call_b","function":{"name":"g","arguments":"{\"x\":1}"}}]},"finish_reason":"tool_calls"}]}""");

        Assert.Equal([new ToolCallDelta(0, "call_a", "f", "")], first);
        Assert.Equal([new ToolCallDelta(0, null, null, "{}")], args);
        Assert.Equal([new ToolCallDelta(1, "call_b", "g", "{\"x\":1}")], second);
        Assert.Equal(FinishReason.ToolCalls, Assert.IsType<ChatFinished>(Assert.Single(reader.Finish())).Reason);
    }

    [Fact]
    public void Several_choices_finish_in_order_with_completion_tokens_counted_once()
    {
        var reader = new ChatChunkReader();
        Read(reader, """{"choices":[{"index":1,"delta":{"content":"b"},"finish_reason":"stop"},{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}""");
        Read(reader, """{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":8}}""");

        var finished = reader.Finish().Cast<ChatFinished>().ToList();

        Assert.Equal([0, 1], finished.Select(f => f.Choice));
        Assert.Equal(8, finished.Sum(f => f.Usage.CompletionTokens));
    }

    [Fact]
    public void A_stream_without_a_finish_reason_is_incomplete()
    {
        var reader = new ChatChunkReader();
        Read(reader, """{"choices":[{"index":0,"delta":{"content":"Hel"}}]}""");

        Assert.Equal("upstream_incomplete", Assert.Throws<UpstreamException>(reader.Finish).Code);
    }

    [Fact]
    public void An_error_event_is_thrown_with_its_message()
    {
        var error = Assert.Throws<UpstreamException>(() => Read(new ChatChunkReader(), """{"error":{"message":"overloaded","type":"server_error"}}"""));

        Assert.Contains("overloaded", error.Message, StringComparison.Ordinal);
        Assert.Equal(502, error.StatusCode);
    }
}
