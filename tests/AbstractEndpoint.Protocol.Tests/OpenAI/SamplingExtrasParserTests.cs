using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary><c>logprobs</c> and llama-server's sampling extras, as the parser maps them (or refuses them).</summary>
public sealed class SamplingExtrasParserTests
{
    private static InvalidRequestException RefuseWith(string extraFields) =>
        Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(Encoding.UTF8.GetBytes(
            $$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{extraFields}}}""")));

    [Theory]
    [InlineData("\"logprobs\":true", 0)]
    [InlineData("\"logprobs\":true,\"top_logprobs\":5", 5)]
    [InlineData("\"n_probs\":3", 3)]
    [InlineData("\"logprobs\":true,\"top_logprobs\":20", 20)]
    public void Logprobs_on_set_how_many_alternatives(string fields, int top)
    {
        Assert.Equal(top, ChatCompletionRequestParserTests.ParseWith(fields).Request.Sampling.TopLogprobs);
    }

    [Theory]
    [InlineData("\"logprobs\":false")]
    [InlineData("\"temperature\":1")]
    public void Logprobs_off_cost_nothing(string fields)
    {
        Assert.Null(ChatCompletionRequestParserTests.ParseWith(fields).Request.Sampling.TopLogprobs);
    }

    [Theory]
    [InlineData("\"top_logprobs\":2", "top_logprobs")]
    [InlineData("\"logprobs\":false,\"top_logprobs\":2", "top_logprobs")]
    [InlineData("\"logprobs\":true,\"top_logprobs\":21", "top_logprobs")]
    [InlineData("\"logprobs\":\"yes\"", "logprobs")]
    [InlineData("\"n_probs\":-1", "n_probs")]
    [InlineData("\"typical_p\":2", "typical_p")]
    [InlineData("\"repetition_penalty\":11", "repetition_penalty")]
    [InlineData("\"repeat_last_n\":-2", "repeat_last_n")]
    [InlineData("\"ignore_eos\":1", "ignore_eos")]
    [InlineData("\"cache_prompt\":\"no\"", "cache_prompt")]
    [InlineData("\"samplers\":[\"top_k\",\"bogus\"]", "samplers")]
    [InlineData("\"samplers\":\"kq\"", "samplers")]
    [InlineData("\"samplers\":5", "samplers")]
    [InlineData("\"grammar\":5", "grammar")]
    public void Wrong_values_are_a_400_naming_the_field(string fields, string param)
    {
        Assert.Equal(param, RefuseWith(fields).Param);
    }

    [Fact]
    public void Llama_server_extras_land_in_the_request()
    {
        var request = ChatCompletionRequestParserTests.ParseWith(
            "\"typical_p\":0.9,\"repetition_penalty\":1.3,\"repeat_last_n\":-1,\"ignore_eos\":true,\"cache_prompt\":false," +
            "\"grammar\":\"root ::= \\\"a\\\"\",\"samplers\":[\"min_p\",\"dry\",\"temperature\",\"top_k\"]").Request;

        Assert.Equal(0.9f, request.Sampling.TypicalP);
        Assert.Equal(1.3f, request.Sampling.RepeatPenalty);
        Assert.Equal(-1, request.Sampling.PenaltyLastN);
        Assert.True(request.Limits.IgnoreEndOfGeneration);
        Assert.False(request.ReuseCachedPrompt);
        Assert.Equal("root ::= \"a\"", request.Grammar);
        Assert.Equal([SamplerStage.MinP, SamplerStage.Temperature, SamplerStage.TopK], request.Sampling.Order);
    }

    [Fact]
    public void Sampler_codes_give_the_same_order_as_names()
    {
        var request = ChatCompletionRequestParserTests.ParseWith("\"samplers\":\"ekypmt\"").Request;

        Assert.Equal(
            [SamplerStage.Penalties, SamplerStage.TopK, SamplerStage.TypicalP, SamplerStage.TopP, SamplerStage.MinP, SamplerStage.Temperature],
            request.Sampling.Order);
    }

    [Fact]
    public void Defaults_keep_the_cache_and_the_end_token()
    {
        var request = ChatCompletionRequestParserTests.ParseWith("\"grammar\":\"\"").Request;

        Assert.True(request.ReuseCachedPrompt);
        Assert.False(request.Limits.IgnoreEndOfGeneration);
        Assert.Null(request.Grammar); // an empty grammar is none, as in llama-server
        Assert.Null(request.Sampling.Order);
    }
}
