using AbstractEndpoint.Bench.Soak;

namespace AbstractEndpoint.Bench.Tests.Soak;

/// <summary>The soak's judge of one stream: complete only with well-formed chunks, a finish reason and [DONE].</summary>
public sealed class SseStreamCheckerTests
{
    private const string Role = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";
    private const string Text = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Once"},"finish_reason":null}]}""";
    private const string Finish = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}""";
    private const string Usage = """data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""";
    private const string Done = "data: [DONE]";

    [Fact]
    public void A_whole_stream_is_complete()
    {
        var checker = Check(Role, "", Text, "", ": keep-alive", Finish, "", Usage, "", Done, "");

        Assert.Equal(StreamVerdict.Complete, checker.Verdict);
        Assert.Equal(1, checker.ContentChunks);
    }

    [Fact]
    public void A_stream_cut_before_done_is_lost()
    {
        var checker = Check(Role, Text, Finish, Usage);

        Assert.Equal(StreamVerdict.Lost, checker.Verdict);
        Assert.Contains("[DONE]", checker.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Onc""", "not JSON")]
    [InlineData("""data: {"error":{"message":"timeout","code":"timeout"}}""", "error event")]
    [InlineData("""data: {"id":"c2","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}""", "chunk id")]
    [InlineData("""data: {"id":"c1","object":"chat.completion","choices":[]}""", "chat.completion.chunk")]
    [InlineData("event: message", "not a data line")]
    public void A_malformed_event_garbles_the_stream(string bad, string problem)
    {
        var checker = Check(Role, Text, bad, Finish, Done);

        Assert.Equal(StreamVerdict.Garbled, checker.Verdict);
        Assert.Contains(problem, checker.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_after_the_finish_reason_garbles_the_stream() =>
        Assert.Equal(StreamVerdict.Garbled, Check(Role, Finish, Text, Done).Verdict);

    [Fact]
    public void Data_after_done_garbles_the_stream() =>
        Assert.Equal(StreamVerdict.Garbled, Check(Role, Finish, Done, Text).Verdict);

    [Fact]
    public void A_stream_without_a_finish_reason_is_garbled()
    {
        var checker = Check(Role, Text, Done);

        Assert.Equal(StreamVerdict.Garbled, checker.Verdict);
        Assert.Contains("finish_reason", checker.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_usage_chunk_before_the_finish_garbles_the_stream() =>
        Assert.Equal(StreamVerdict.Garbled, Check(Role, Usage, Finish, Done).Verdict);

    [Fact]
    public void Each_choice_of_several_finishes_once()
    {
        const string second = """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":1,"delta":{},"finish_reason":"stop"}]}""";

        Assert.Equal(StreamVerdict.Complete, Check(Role, Text, Finish, second, Usage, Done).Verdict);
        Assert.Equal(StreamVerdict.Garbled, Check(Role, Finish, second, second, Done).Verdict);
    }

    private static SseStreamChecker Check(params string[] lines)
    {
        var checker = new SseStreamChecker();
        foreach (var line in lines)
        {
            checker.Line(line);
        }

        return checker;
    }
}
