using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary><c>/v1/completions</c> bodies: prompts in OpenAI's four spellings, the legacy fields, the shared sampling fields.</summary>
public sealed class CompletionRequestParserTests
{
    private static ParsedCompletion Parse(string fields, bool strict = false) =>
        CompletionRequestParser.Parse(Encoding.UTF8.GetBytes($$"""{"model":"m",{{fields}}}"""), strict);

    private static InvalidRequestException Refuse(string fields, bool strict = false) =>
        Assert.Throws<InvalidRequestException>(() => Parse(fields, strict));

    [Fact]
    public void A_string_prompt_is_one_text_request_with_openai_defaults()
    {
        var parsed = Parse("\"prompt\":\"Once upon\"");

        var request = Assert.Single(parsed.Requests);
        Assert.Equal("Once upon", request.Prompt.Text);
        Assert.Null(request.Prompt.Tokens);
        Assert.Equal(CompletionRequestParser.DefaultMaxTokens, request.Limits.MaxOutputTokens);
        Assert.Equal(1, request.Choices);
        Assert.Null(request.Sampling.TopLogprobs);
        Assert.False(parsed.Stream);
        Assert.False(parsed.Echo);
    }

    [Fact]
    public void An_array_of_strings_is_one_request_per_prompt()
    {
        var parsed = Parse("\"prompt\":[\"a\",\"b\",\"c\"],\"n\":2");

        Assert.Equal(["a", "b", "c"], parsed.Requests.Select(r => r.Prompt.Text));
        Assert.All(parsed.Requests, r => Assert.Equal(2, r.Choices));
        Assert.Equal(2, parsed.ChoicesPerPrompt);
    }

    [Fact]
    public void Token_ids_are_one_prompt_and_arrays_of_them_are_several()
    {
        Assert.Equal([5, 6, 7], Assert.Single(Parse("\"prompt\":[5,6,7]").Requests).Prompt.Tokens);

        var several = Parse("\"prompt\":[[1,2],[3]]").Requests;
        Assert.Equal([[1, 2], [3]], several.Select(r => r.Prompt.Tokens!.ToArray()));
    }

    [Theory]
    [InlineData("\"prompt\":[]", "prompt")]
    [InlineData("\"prompt\":[[]]", "prompt[0]")]
    [InlineData("\"prompt\":[\"a\",1]", "prompt[1]")]
    [InlineData("\"prompt\":[1,\"a\"]", "prompt[1]")]
    [InlineData("\"prompt\":[[1],\"a\"]", "prompt[1]")]
    [InlineData("\"prompt\":[{\"text\":\"a\"}]", "prompt[0]")]
    [InlineData("\"prompt\":[[1,[2]]]", "prompt[0][1]")]
    [InlineData("\"prompt\":[-1]", "prompt[0]")]
    [InlineData("\"prompt\":[1.5]", "prompt[0]")]
    [InlineData("\"prompt\":{}", "prompt")]
    [InlineData("\"prompt\":\"a\",\"logprobs\":6", "logprobs")]
    [InlineData("\"prompt\":\"a\",\"logprobs\":true", "logprobs")]
    [InlineData("\"prompt\":\"a\",\"n\":3,\"best_of\":2", "best_of")]
    [InlineData("\"prompt\":\"a\",\"n\":1,\"best_of\":2,\"stream\":true", "best_of")]
    [InlineData("\"prompt\":\"a\",\"echo\":true,\"logprobs\":1", "echo")]
    [InlineData("\"prompt\":\"a\",\"stream_options\":{\"include_usage\":true}", "stream_options")]
    [InlineData("\"prompt\":\"a\",\"temperature\":3", "temperature")]
    [InlineData("\"prompt\":\"a\",\"max_tokens\":0", "max_tokens")]
    [InlineData("\"temperature\":1", "prompt")]
    public void Bad_values_are_400s_naming_the_field(string fields, string param)
    {
        Assert.Equal(param, Refuse(fields).Param);
    }

    [Fact]
    public void The_model_is_required()
    {
        var error = Assert.Throws<InvalidRequestException>(() => CompletionRequestParser.Parse("{\"prompt\":\"a\"}"u8.ToArray()));
        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void Sampling_fields_are_read_as_the_chat_route_reads_them()
    {
        var request = Assert.Single(Parse(
            "\"prompt\":\"a\",\"temperature\":0.5,\"top_p\":0.9,\"top_k\":5,\"seed\":3,\"frequency_penalty\":1,\"presence_penalty\":-1," +
            "\"logit_bias\":{\"7\":-100},\"stop\":[\"x\",\"\"],\"max_tokens\":9,\"ignore_eos\":true,\"cache_prompt\":false,\"grammar\":\"root ::= \\\"a\\\"\"").Requests);

        Assert.Equal(0.5f, request.Sampling.Temperature);
        Assert.Equal(0.9f, request.Sampling.TopP);
        Assert.Equal(5, request.Sampling.TopK);
        Assert.Equal(3u, request.Sampling.Seed);
        Assert.Equal(1f, request.Sampling.FrequencyPenalty);
        Assert.Equal(-1f, request.Sampling.PresencePenalty);
        Assert.Equal(-100f, request.Sampling.LogitBias[7]);
        Assert.Equal(["x"], request.Limits.StopSequences);
        Assert.Equal(9, request.Limits.MaxOutputTokens);
        Assert.True(request.Limits.IgnoreEndOfGeneration);
        Assert.False(request.ReuseCachedPrompt);
        Assert.Equal("root ::= \"a\"", request.Sampling.Grammar!.Gbnf);
        Assert.False(request.Sampling.Grammar.Lazy);
    }

    [Fact]
    public void Logprobs_asks_for_that_many_alternatives_per_token()
    {
        var parsed = Parse("\"prompt\":\"a\",\"logprobs\":3");

        Assert.Equal(3, parsed.Logprobs);
        Assert.Equal(3, parsed.Requests[0].Sampling.TopLogprobs);
    }

    [Fact]
    public void Best_of_above_n_generates_best_of_and_asks_for_log_probabilities_to_rank_them()
    {
        var parsed = Parse("\"prompt\":\"a\",\"n\":2,\"best_of\":4");

        Assert.Equal(4, parsed.BestOf);
        Assert.Equal(2, parsed.ChoicesPerPrompt);
        Assert.Equal(4, parsed.Requests[0].Choices);
        Assert.Equal(0, parsed.Requests[0].Sampling.TopLogprobs);
        Assert.Null(parsed.Logprobs);
    }

    [Fact]
    public void Best_of_equal_to_n_is_plain_n()
    {
        var parsed = Parse("\"prompt\":\"a\",\"n\":2,\"best_of\":2,\"stream\":true");

        Assert.Null(parsed.BestOf);
        Assert.Equal(2, parsed.Requests[0].Choices);
    }

    [Fact]
    public void Echo_suffix_and_stream_options_are_read()
    {
        var parsed = Parse("\"prompt\":\"a\",\"echo\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        Assert.True(parsed.Echo);
        Assert.True(parsed.Stream);
        Assert.True(parsed.IncludeUsage);

        Assert.Equal("tail", Parse("\"prompt\":\"a\",\"suffix\":\"tail\"").Requests[0].Suffix);
        Assert.Null(Parse("\"prompt\":\"a\",\"suffix\":\"\"").Requests[0].Suffix);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_reported_or_refused_when_strict()
    {
        var parsed = Parse("\"prompt\":\"a\",\"messages\":[],\"frobnicate\":1");

        Assert.Equal(["messages", "frobnicate"], parsed.Ignored.Select(f => f.Name));
        Assert.Equal("frobnicate", Refuse("\"prompt\":\"a\",\"frobnicate\":1", strict: true).Param);
    }

    [Fact]
    public void Null_means_not_given()
    {
        var parsed = Parse("\"prompt\":\"a\",\"suffix\":null,\"logprobs\":null,\"max_tokens\":null,\"user\":null");

        Assert.Null(parsed.Logprobs);
        Assert.Null(parsed.Requests[0].Suffix);
        Assert.Empty(parsed.Ignored);
    }
}
