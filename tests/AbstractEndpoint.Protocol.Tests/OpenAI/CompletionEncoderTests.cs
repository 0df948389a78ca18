using System.Buffers;
using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary>Golden bytes of the legacy <c>text_completion</c> shapes.</summary>
public sealed class CompletionEncoderTests
{
    private const string Header = """{"id":"cmpl-test","object":"text_completion","created":1700000000,"model":"my-model","choices":""";

    private const string Usage = ""","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":1}}}""";

    private readonly CompletionEncoder _encoder = new("my-model", 1_700_000_000) { Id = "cmpl-test" };

    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static TokenLogprob Entry(string token, float logprob, params (string Token, float Logprob)[] top) =>
        new(token, logprob, Encoding.UTF8.GetBytes(token), [.. top.Select(t => new TopLogprob(t.Token, t.Logprob, Encoding.UTF8.GetBytes(t.Token)))]);

    [Fact]
    public void A_whole_completion()
    {
        Assert.Equal(
            Header + """[{"index":0,"text":" there","logprobs":null,"finish_reason":"length"}]""" + Usage,
            Write(b => _encoder.WriteCompletion(b, [new CompletedChoice(0, " there", FinishReason.Length)], new Usage(3, 2, 1))));
    }

    [Fact]
    public void Echo_puts_the_prompt_before_the_text_and_offsets_start_after_it()
    {
        var choice = new CompletedChoice(0, " a b", FinishReason.Stop) { Logprobs = [Entry(" a", -0.5f, (" a", -0.5f), (" c", -1f)), Entry(" b", -1.25f)] };

        Assert.Equal(
            Header + """[{"index":0,"text":"Hi! a b","logprobs":{"tokens":[" a"," b"],"token_logprobs":[-0.5,-1.25],"top_logprobs":[{" a":-0.5," c":-1},{}],""" +
            "\"text_offset\":[3,5]},\"finish_reason\":\"stop\"}]" + Usage,
            Write(b => _encoder.WriteCompletion(b, [choice], new Usage(3, 2, 1), ["Hi!"])));
    }

    [Fact]
    public void Alternatives_with_the_same_text_keep_the_likelier_and_infinity_is_the_floor()
    {
        var choice = new CompletedChoice(1, "x", FinishReason.Stop)
        {
            Logprobs = [Entry("x", float.NegativeInfinity, ("x", -0.1f), ("x", -0.2f))],
        };

        Assert.Equal(
            Header + """[{"index":1,"text":"x","logprobs":{"tokens":["x"],"token_logprobs":[-9999],"top_logprobs":[{"x":-0.1}],"text_offset":[0]},"finish_reason":"stop"}]""" + Usage,
            Write(b => _encoder.WriteCompletion(b, [choice], new Usage(3, 2, 1))));
    }

    [Fact]
    public void Stream_chunks_keep_each_choices_running_offset()
    {
        var text = Write(b =>
        {
            _encoder.WriteTextChunk(b, "Hi", 0, wantLogprobs: true);
            _encoder.WriteTextChunk(b, " a", 1, [Entry(" a", -1f)], wantLogprobs: true);
            _encoder.WriteTextChunk(b, " b", 0, [Entry(" b", -2f)], wantLogprobs: true);
            _encoder.WriteFinishChunk(b, FinishReason.Stop, 0, wantLogprobs: true);
        });

        Assert.Equal(
            "data: " + Header + """[{"index":0,"text":"Hi","logprobs":{"tokens":[],"token_logprobs":[],"top_logprobs":[],"text_offset":[]},"finish_reason":null}]}""" + "\n\n" +
            "data: " + Header + """[{"index":1,"text":" a","logprobs":{"tokens":[" a"],"token_logprobs":[-1],"top_logprobs":[{}],"text_offset":[0]},"finish_reason":null}]}""" + "\n\n" +
            "data: " + Header + """[{"index":0,"text":" b","logprobs":{"tokens":[" b"],"token_logprobs":[-2],"top_logprobs":[{}],"text_offset":[2]},"finish_reason":null}]}""" + "\n\n" +
            "data: " + Header + """[{"index":0,"text":"","logprobs":{"tokens":[],"token_logprobs":[],"top_logprobs":[],"text_offset":[]},"finish_reason":"stop"}]}""" + "\n\n",
            text);
    }

    [Fact]
    public void The_usage_chunk_has_no_choices()
    {
        Assert.Equal("data: " + Header + "[]" + Usage + "\n\n", Write(b => _encoder.WriteUsageChunk(b, new Usage(3, 2, 1))));
    }

    [Fact]
    public void The_abstractcore_object_rides_at_the_top_level_of_the_reply_the_finish_chunk_and_the_usage_chunk()
    {
        var telemetry = new ReplyTelemetry(new ExecutionReport(2, 0.001, 0.25));
        const string AbstractCore = ""","abstractcore":{"execution":{"mode":"continuous","peak_batch_size":2,"queue_s":0.001,"ttft_s":0.25}}}""";
        var usage = Usage[..^1];

        Assert.Equal(
            Header + """[{"index":0,"text":" there","logprobs":null,"finish_reason":"length"}]""" + usage + AbstractCore,
            Write(b => _encoder.WriteCompletion(b, [new CompletedChoice(0, " there", FinishReason.Length)], new Usage(3, 2, 1), telemetry: telemetry)));
        Assert.Equal(
            "data: " + Header + """[{"index":0,"text":"","logprobs":null,"finish_reason":"stop"}]""" + AbstractCore + "\n\n",
            Write(b => _encoder.WriteFinishChunk(b, FinishReason.Stop, 0, telemetry: telemetry)));
        Assert.Equal("data: " + Header + "[]" + usage + AbstractCore + "\n\n", Write(b => _encoder.WriteUsageChunk(b, new Usage(3, 2, 1), telemetry)));
    }

    [Fact]
    public void Ids_are_cmpl_ids()
    {
        Assert.StartsWith("cmpl-", new CompletionEncoder("m").Id, StringComparison.Ordinal);
    }
}
