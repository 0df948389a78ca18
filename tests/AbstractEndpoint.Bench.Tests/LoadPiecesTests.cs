using AbstractEndpoint.Bench.Load;

namespace AbstractEndpoint.Bench.Tests;

public sealed class LoadPiecesTests
{
    [Fact]
    public void Prompts_have_the_requested_length_and_share_exactly_the_prefix()
    {
        var factory = new PromptFactory(100, 0.4, seed: 3);

        var first = factory.Create("A", 1, 0, 0).Split(' ');
        var second = factory.Create("A", 1, 0, 1).Split(' ');

        Assert.Equal(100, first.Length);
        Assert.Equal(100, second.Length);
        Assert.Equal(40, factory.SharedWords);
        Assert.Equal(first[..40], second[..40]);
        Assert.NotEqual(first[40..], second[40..]);
        Assert.Equal(factory.Create("A", 1, 0, 0), new PromptFactory(100, 0.4, seed: 3).Create("A", 1, 0, 0));
        Assert.NotEqual(factory.Create("A", 1, 0, 0), factory.Create("B", 1, 0, 0));
        Assert.Equal(new PromptFactory(10, 1, 1).Create("A", 1, 0, 0), new PromptFactory(10, 1, 1).Create("B", 2, 3, 4));
    }

    [Fact]
    public void Percentiles_interpolate_between_ranks()
    {
        double[] values = [4, 1, 3, 2, 5];

        Assert.Equal(3, Percentile.Of(values, 50));
        Assert.Equal(1, Percentile.Of(values, 0));
        Assert.Equal(5, Percentile.Of(values, 100));
        Assert.Equal(4.6, Percentile.Of(values, 90)!.Value, 10);
        Assert.Null(Percentile.Of([], 50));
    }

    [Fact]
    public void Chunks_yield_content_reasoning_usage_and_errors()
    {
        var content = ChatCompletionChunk.Parse("""{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""");
        var reasoning = ChatCompletionChunk.Parse("""{"choices":[{"delta":{"reasoning_content":"hmm"}}]}""");
        var usage = ChatCompletionChunk.Parse("""{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":9}}""");
        var error = ChatCompletionChunk.Parse("""{"error":{"message":"overloaded","type":"server_error"}}""");
        var whole = ChatCompletionChunk.Parse("""{"choices":[{"message":{"content":"done"},"finish_reason":"stop"}]}""");

        Assert.Equal("Hi", content.Content);
        Assert.Equal("hmm", reasoning.Content);
        Assert.Equal((7, 9), (usage.PromptTokens, usage.CompletionTokens));
        Assert.Null(usage.Content);
        Assert.Equal("overloaded", error.Error);
        Assert.Equal(("done", "stop"), (whole.Content, whole.FinishReason));
    }

    [Fact]
    public void Request_speed_uses_tokens_after_the_first_over_the_streaming_span()
    {
        var measurement = new RequestMeasurement
        {
            TimeToFirstToken = 0.5,
            ContentChunkTimes = [0.5, 0.6, 0.7, 0.9],
            CompletionTokens = 5,
            Duration = 1,
        };

        Assert.Equal(10, measurement.StreamTokensPerSecond!.Value, 6);
        Assert.Equal([0.1, 0.1, 0.2], measurement.InterTokenLatencies.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Invalid_settings_are_refused()
    {
        var valid = new LoadTestOptions
        {
            Targets = [new LoadTarget("A", new Uri("http://127.0.0.1:1/v1"), "m")],
            ConcurrencyLevels = [1],
        };

        valid.Validate();
        Assert.Throws<ArgumentException>(() => (valid with { ConcurrencyLevels = [0] }).Validate());
        Assert.Throws<ArgumentException>(() => (valid with { SharedPrefix = 1.5 }).Validate());
        Assert.Throws<ArgumentException>(() => (valid with { MaxTokens = 0 }).Validate());
        Assert.Equal(new Uri("http://127.0.0.1:1/v1/chat/completions"), valid.Targets[0].ChatCompletionsUrl);
        Assert.Equal(new Uri("http://h/v1/models"), new LoadTarget("A", new Uri("http://h/v1/"), null).ModelsUrl);
    }
}
