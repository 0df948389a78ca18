using System.Text.Json;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

public sealed class CompletionRequestWireWriterTests
{
    private static JsonElement Write(TextCompletionRequest request) =>
        JsonDocument.Parse(CompletionRequestWireWriter.Write(request, "upstream-model")).RootElement;

    [Fact]
    public void A_plain_prompt_is_a_streamed_request_with_usage_and_only_standard_fields()
    {
        var body = Write(new TextCompletionRequest { Prompt = TextPrompt.FromText("Once"), Limits = new GenerationLimits { MaxOutputTokens = 16 } });

        Assert.Equal(
            ["model", "prompt", "temperature", "max_tokens", "stream", "stream_options"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("upstream-model", body.GetProperty("model").GetString());
        Assert.Equal("Once", body.GetProperty("prompt").GetString());
        Assert.Equal(16, body.GetProperty("max_tokens").GetInt32());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void Token_ids_choices_logprobs_stops_suffix_and_extensions_are_written_as_the_completions_api_spells_them()
    {
        var body = Write(new TextCompletionRequest
        {
            Prompt = TextPrompt.FromTokens([1, 403, 9]),
            Suffix = "end",
            Choices = 3,
            ReuseCachedPrompt = false,
            Sampling = new SamplingOptions
            {
                Temperature = 0.5f,
                TopK = 40,
                Seed = 7,
                TopLogprobs = 2,
                LogitBias = new Dictionary<int, float> { [2] = float.NegativeInfinity },
                Grammar = GrammarConstraint.Strict("root ::= \"a\"", "root"),
            },
            Limits = new GenerationLimits { MaxOutputTokens = 5, StopSequences = ["\n"], IgnoreEndOfGeneration = true },
        });

        Assert.Equal([1, 403, 9], body.GetProperty("prompt").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal("end", body.GetProperty("suffix").GetString());
        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.Equal(2, body.GetProperty("logprobs").GetInt32());
        Assert.Equal(40, body.GetProperty("top_k").GetInt32());
        Assert.Equal(7u, body.GetProperty("seed").GetUInt32());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("2").GetInt32());
        Assert.Equal("root ::= \"a\"", body.GetProperty("grammar").GetString());
        Assert.Equal(["\n"], body.GetProperty("stop").EnumerateArray().Select(s => s.GetString()));
        Assert.True(body.GetProperty("ignore_eos").GetBoolean());
        Assert.False(body.GetProperty("cache_prompt").GetBoolean());
        Assert.False(body.TryGetProperty("echo", out _));
        Assert.False(body.TryGetProperty("best_of", out _));
    }
}
