using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>llama-server's sampling extras on the real model, as raw HTTP bodies: honoured, not just accepted.</summary>
[Collection(StoriesServerCollection.Name)]
public sealed class SamplingExtrasTests(StoriesServerFixture fixture)
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string fields)
    {
        var server = fixture.Require();
        using var content = new StringContent(
            $"{{\"model\":\"{fixture.ModelId}\",{Messages},{fields}}}", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    private async Task<JsonElement> OkAsync(string fields)
    {
        var (status, body) = await PostAsync(fields);
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        return body;
    }

    private static string Content(JsonElement body) =>
        body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;

    private static int Usage(JsonElement body, string name) => body.GetProperty("usage").GetProperty(name).GetInt32();

    private static int Cached(JsonElement body) =>
        body.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();

    [SkippableFact]
    public async Task A_grammar_constrains_the_reply()
    {
        var body = await OkAsync("\"grammar\":\"root ::= \\\"yes\\\" | \\\"no\\\"\",\"max_tokens\":20,\"temperature\":1,\"seed\":7");

        Assert.Contains(Content(body), new[] { "yes", "no" });
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [SkippableFact]
    public async Task A_broken_grammar_is_a_400_with_llama_cpps_reason()
    {
        var (status, body) = await PostAsync("\"grammar\":\"root ::= (\\\"a\\\"\",\"max_tokens\":5");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("grammar", error.GetProperty("param").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("could not parse the grammar: ", message, StringComparison.Ordinal);
        Assert.True(message.Contains("expecting ')'", StringComparison.Ordinal), message);
        await OkAsync("\"max_tokens\":3"); // and the server still serves
    }

    [SkippableFact]
    public async Task A_grammar_with_an_undefined_rule_is_a_400()
    {
        var (status, body) = await PostAsync("\"grammar\":\"root ::= missing\",\"max_tokens\":5");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var message = body.GetProperty("error").GetProperty("message").GetString()!;
        Assert.True(message.Contains("undefined rule identifier 'missing'", StringComparison.Ordinal), message);
    }

    [SkippableFact]
    public async Task A_grammar_nested_too_deep_for_llama_cpps_parser_is_a_400_not_a_crash()
    {
        var nested = new string('(', 20000) + "\\\"a\\\"" + new string(')', 20000);

        var (status, body) = await PostAsync($"\"grammar\":\"root ::= {nested}\",\"max_tokens\":5");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("error").GetProperty("param").GetString() == "grammar", body.ToString());
        await OkAsync("\"max_tokens\":3");
    }

    [SkippableFact]
    public async Task A_finished_grammar_ends_the_reply_even_with_ignore_eos()
    {
        var body = await OkAsync("\"grammar\":\"root ::= \\\"yes\\\"\",\"max_tokens\":20,\"temperature\":0,\"ignore_eos\":true");

        Assert.Equal("yes", Content(body));
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [SkippableFact]
    public async Task A_grammar_with_a_json_response_format_is_a_400()
    {
        var (status, body) = await PostAsync("\"grammar\":\"root ::= \\\"x\\\"\",\"response_format\":{\"type\":\"json_object\"}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("grammar", body.GetProperty("error").GetProperty("param").GetString());
    }

    [SkippableFact]
    public async Task Top_k_1_is_greedy_at_any_temperature()
    {
        var greedy = Content(await OkAsync("\"max_tokens\":30,\"temperature\":0"));

        var topK = Content(await OkAsync("\"max_tokens\":30,\"temperature\":1.5,\"top_k\":1,\"seed\":123"));
        var reordered = Content(await OkAsync("\"max_tokens\":30,\"temperature\":1.5,\"top_k\":1,\"seed\":9,\"samplers\":[\"top_k\",\"temperature\"]"));

        Assert.Equal(greedy, topK);
        Assert.Equal(greedy, reordered);
    }

    [SkippableFact]
    public async Task Ignore_eos_runs_to_max_tokens()
    {
        const int MaxTokens = 300;

        var body = await OkAsync($"\"max_tokens\":{MaxTokens},\"temperature\":0,\"ignore_eos\":true");

        Assert.Equal(MaxTokens, Usage(body, "completion_tokens"));
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [SkippableFact]
    public async Task Cache_prompt_false_reports_no_cached_tokens_where_true_reuses_the_prefix()
    {
        const string Fields = "\"max_tokens\":4,\"temperature\":0";
        await OkAsync(Fields);

        var fresh = await OkAsync(Fields + ",\"cache_prompt\":false");
        var reused = await OkAsync(Fields + ",\"cache_prompt\":true");

        Assert.Equal(0, Cached(fresh));
        Assert.True(Cached(reused) > 0, reused.ToString());
        Assert.Equal(Content(fresh), Content(reused));
    }

    [SkippableFact]
    public async Task N_probs_turns_logprobs_on()
    {
        var body = await OkAsync("\"max_tokens\":5,\"temperature\":0,\"n_probs\":3");

        var content = body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(Usage(body, "completion_tokens"), content.GetArrayLength());
        Assert.All(content.EnumerateArray(), e => Assert.Equal(3, e.GetProperty("top_logprobs").GetArrayLength()));
    }

    [SkippableFact]
    public async Task Repetition_penalty_is_repeat_penalty()
    {
        var alias = Content(await OkAsync("\"max_tokens\":40,\"temperature\":0,\"repetition_penalty\":1.8,\"repeat_last_n\":32"));
        var original = Content(await OkAsync("\"max_tokens\":40,\"temperature\":0,\"repeat_penalty\":1.8,\"repeat_last_n\":32"));

        Assert.Equal(original, alias);
    }

    [SkippableTheory]
    [InlineData("\"samplers\":[\"top_k\",\"warp_drive\"]", "samplers")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"logprobs\":true,\"top_logprobs\":21", "top_logprobs")]
    [InlineData("\"typical_p\":1.5", "typical_p")]
    [InlineData("\"repeat_last_n\":-2", "repeat_last_n")]
    public async Task Invalid_values_are_a_400_naming_the_field(string fields, string param)
    {
        var (status, body) = await PostAsync(fields);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, body.GetProperty("error").GetProperty("param").GetString());
    }
}
