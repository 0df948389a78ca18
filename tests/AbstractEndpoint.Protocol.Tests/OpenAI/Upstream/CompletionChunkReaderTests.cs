using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

public sealed class CompletionChunkReaderTests
{
    private static IReadOnlyList<ChatUpdate> Read(CompletionChunkReader reader, string json) => reader.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Text_finish_and_usage_become_domain_updates()
    {
        var reader = new CompletionChunkReader();

        Assert.Equal([new ContentDelta(" upon")], Read(reader, """{"object":"text_completion","choices":[{"index":0,"text":" upon","logprobs":null,"finish_reason":null}]}"""));
        Assert.Empty(Read(reader, """{"choices":[{"index":0,"text":"","finish_reason":"length"}]}"""));
        Assert.Empty(Read(reader, """{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"""));

        Assert.Equal([new ChatFinished(FinishReason.Length, new Usage(5, 2, 0))], reader.Finish());
    }

    [Fact]
    public void Legacy_logprobs_come_just_before_their_text()
    {
        var reader = new CompletionChunkReader();

        var updates = Read(reader, """
            {"choices":[{"index":1,"text":" a","logprobs":{"tokens":[" a"],"token_logprobs":[-0.25],"top_logprobs":[{" a":-0.25," b":-1.5}],"text_offset":[4]},"finish_reason":null}]}
            """);

        var logprobs = Assert.IsType<LogprobsDelta>(updates[0]);
        Assert.Equal(1, logprobs.Choice);
        var entry = Assert.Single(logprobs.Entries);
        Assert.Equal((" a", -0.25f), (entry.Token, entry.Logprob));
        Assert.Equal(" a"u8.ToArray(), entry.Bytes);
        Assert.Equal([(" a", -0.25f), (" b", -1.5f)], entry.TopLogprobs.Select(t => (t.Token, t.Logprob)));
        Assert.Equal(new ContentDelta(" a", 1), updates[1]);
    }

    [Fact]
    public void Several_choices_finish_in_order_with_completion_tokens_counted_once()
    {
        var reader = new CompletionChunkReader();
        Read(reader, """{"choices":[{"index":1,"text":"b","finish_reason":"stop"},{"index":0,"text":"a","finish_reason":"length"}]}""");
        Read(reader, """{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":8,"prompt_tokens_details":{"cached_tokens":3}}}""");

        Assert.Equal(
            [new ChatFinished(FinishReason.Length, new Usage(5, 8, 3), 0), new ChatFinished(FinishReason.Stop, new Usage(5, 0, 3), 1)],
            reader.Finish());
    }

    [Fact]
    public void An_upstreams_abstractcore_object_rides_on_every_finished_choice()
    {
        var reader = new CompletionChunkReader();
        Read(reader, """{"choices":[{"index":0,"text":"a","finish_reason":"stop"}],"abstractcore":{"execution":{"mode":"continuous","peak_batch_size":2,"queue_s":0.5,"ttft_s":0.25}}}""");

        var finished = Assert.IsType<ChatFinished>(Assert.Single(reader.Finish()));

        Assert.Equal(new ReplyTelemetry(new ExecutionReport(2, 0.5, 0.25)), finished.Telemetry);
    }

    [Fact]
    public void An_error_chunk_and_a_stream_without_a_finish_are_upstream_errors()
    {
        var error = Assert.Throws<UpstreamException>(() => Read(new CompletionChunkReader(), """{"error":{"message":"boom","type":"server_error"}}"""));
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);

        var reader = new CompletionChunkReader();
        Read(reader, """{"choices":[{"index":0,"text":"a"}]}""");
        Assert.Equal("upstream_incomplete", Assert.Throws<UpstreamException>(reader.Finish).Code);
    }
}
