using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/completions</c> on the real model (stories260K: a raw-text model with a BOS) through the official
/// OpenAI client: plain, streamed, <c>n</c> with several prompts, <c>echo</c>, <c>logprobs</c>, <c>best_of</c>, and
/// the 400s. OpenAI .NET 2.x keeps its legacy completion client internal, so the requests go through the client's
/// own pipeline (<see cref="OpenAIClient.Pipeline"/>: its transport, headers and error type), bodies as JSON.
/// </summary>
[Collection(StoriesServerCollection.Name)]
public sealed class CompletionsTests(StoriesServerFixture fixture)
{
    private const string Prompt = "Once upon a time";

    private static async Task<PipelineResponse> PostAsync(RunningServer server, string fields, bool buffer = true)
    {
        var pipeline = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") }).Pipeline;
        var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.BaseAddress, "v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString("{\"model\":\"stories260K\"," + fields + "}"));
        message.BufferResponse = buffer;
        await pipeline.SendAsync(message);
        var response = message.ExtractResponse()!;
        if (response.IsError)
        {
            throw await ClientResultException.CreateAsync(response);
        }

        return response;
    }

    private static async Task<JsonElement> CompleteAsync(RunningServer server, string fields) =>
        JsonDocument.Parse((await PostAsync(server, fields)).Content.ToString()).RootElement.Clone();

    private string Greedy(int maxTokens) => $"\"max_tokens\":{maxTokens},\"temperature\":0,{fixture.NoEndBiasJson}";

    private static string Text(JsonElement completion, int choice = 0) =>
        completion.GetProperty("choices")[choice].GetProperty("text").GetString()!;

    [SkippableFact]
    public async Task A_text_prompt_and_its_token_ids_complete_alike_with_no_template()
    {
        var server = fixture.Require();

        var fromText = await CompleteAsync(server, $"\"prompt\":\"{Prompt}\"," + Greedy(20));
        var ids = await TokenizeWithBosAsync(server, Prompt);
        var fromIds = await CompleteAsync(server, $"\"prompt\":[{string.Join(",", ids)}]," + Greedy(20));

        Assert.Equal("text_completion", fromText.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", fromText.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("stories260K", fromText.GetProperty("model").GetString());
        var choice = Assert.Single(fromText.GetProperty("choices").EnumerateArray());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(Text(fromText)));
        Assert.Equal(Text(fromText), Text(fromIds));

        // The raw prompt with the model's BOS, nothing else: a chat template would add many more tokens.
        var usage = fromText.GetProperty("usage");
        Assert.Equal(ids.Length, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(20, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(ids.Length + 20, usage.GetProperty("total_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Without_max_tokens_a_completion_is_openais_default_16_tokens()
    {
        var server = fixture.Require();

        var completion = await CompleteAsync(server, $"\"prompt\":\"{Prompt}\",\"temperature\":0,{fixture.NoEndBiasJson}");

        Assert.Equal(16, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Replies_carry_the_abstractcore_execution_report_as_chat_replies_do()
    {
        var server = fixture.Require();

        var plain = await CompleteAsync(server, $"\"prompt\":\"{Prompt}\"," + Greedy(4));
        var events = await StreamAsync(server, $"\"prompt\":\"{Prompt}\",\"stream\":true,\"stream_options\":{{\"include_usage\":true}}," + Greedy(4));

        AssertExecution(plain);
        AssertExecution(events[^1]); // the usage chunk
        AssertExecution(events.Single(e => e.GetProperty("choices").EnumerateArray().Any(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String)));
        Assert.All(events.Where(e => e.GetProperty("choices").EnumerateArray().Any(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.Null)),
            e => Assert.False(e.TryGetProperty("abstractcore", out _)));

        static void AssertExecution(JsonElement reply)
        {
            var execution = reply.GetProperty("abstractcore").GetProperty("execution");
            Assert.Equal("continuous", execution.GetProperty("mode").GetString());
            Assert.True(execution.GetProperty("peak_batch_size").GetInt32() >= 1);
            Assert.True(execution.GetProperty("ttft_s").GetDouble() > 0);
            Assert.True(execution.GetProperty("queue_s").GetDouble() >= 0);
        }
    }

    [SkippableFact]
    public async Task A_stream_is_text_completion_chunks_that_join_to_the_whole_text_then_usage_and_done()
    {
        var server = fixture.Require();
        var whole = Text(await CompleteAsync(server, $"\"prompt\":\"{Prompt}\"," + Greedy(24)));

        var events = await StreamAsync(server, $"\"prompt\":\"{Prompt}\",\"stream\":true,\"stream_options\":{{\"include_usage\":true}}," + Greedy(24));

        var text = new StringBuilder();
        string? finish = null;
        foreach (var chunk in events[..^1])
        {
            Assert.Equal("text_completion", chunk.GetProperty("object").GetString());
            var choice = Assert.Single(chunk.GetProperty("choices").EnumerateArray());
            text.Append(choice.GetProperty("text").GetString());
            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            {
                finish = choice.GetProperty("finish_reason").GetString();
            }
        }

        Assert.Equal(whole, text.ToString());
        Assert.Equal("length", finish);
        var usage = events[^1];
        Assert.Empty(usage.GetProperty("choices").EnumerateArray());
        Assert.Equal(24, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Several_prompts_with_n_give_n_choices_per_prompt_in_order()
    {
        var server = fixture.Require();
        const string Other = "The little dog";
        var first = Text(await CompleteAsync(server, $"\"prompt\":\"{Prompt}\"," + Greedy(12)));
        var second = Text(await CompleteAsync(server, $"\"prompt\":\"{Other}\"," + Greedy(12)));

        var both = await CompleteAsync(server, $"\"prompt\":[\"{Prompt}\",\"{Other}\"],\"n\":2," + Greedy(12));

        var choices = both.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal([first, first, second, second], choices.Select(c => c.GetProperty("text").GetString()));
        var prompts = (await TokenizeWithBosAsync(server, Prompt)).Length + (await TokenizeWithBosAsync(server, Other)).Length;
        Assert.Equal(prompts, both.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(48, both.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Streamed_choices_of_several_prompts_carry_their_index()
    {
        var server = fixture.Require();

        var events = await StreamAsync(server, $"\"prompt\":[\"{Prompt}\",\"The little dog\"],\"stream\":true," + Greedy(8));

        var finished = events.Select(e => e.GetProperty("choices")[0])
            .Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            .Select(c => c.GetProperty("index").GetInt32()).Order();
        Assert.Equal([0, 1], finished);
    }

    [SkippableFact]
    public async Task Echo_returns_the_prompt_before_the_completion()
    {
        var server = fixture.Require();
        var plain = Text(await CompleteAsync(server, $"\"prompt\":\"{Prompt}\"," + Greedy(10)));

        var echoed = Text(await CompleteAsync(server, $"\"prompt\":\"{Prompt}\",\"echo\":true," + Greedy(10)));
        var ids = await TokenizeWithBosAsync(server, Prompt);
        var echoedIds = Text(await CompleteAsync(server, $"\"prompt\":[{string.Join(",", ids[1..])}],\"echo\":true," + Greedy(10)));

        Assert.Equal(Prompt + plain, echoed);
        // Token ids come back as their text (SentencePiece's leading space included).
        Assert.StartsWith(" " + Prompt, echoedIds, StringComparison.Ordinal);
        Assert.True(echoedIds.Length > Prompt.Length + 1, echoedIds);
    }

    [SkippableFact]
    public async Task Logprobs_are_the_legacy_parallel_arrays_one_entry_per_token()
    {
        var server = fixture.Require();

        var completion = await CompleteAsync(server, $"\"prompt\":\"{Prompt}\",\"logprobs\":3," + Greedy(16));

        var choice = completion.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
        var values = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(v => v.GetDouble()).ToList();
        var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToList();
        var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal(16, tokens.Count);
        Assert.Equal(string.Concat(tokens), choice.GetProperty("text").GetString());
        Assert.Equal(16, values.Count);
        Assert.All(values, v => Assert.True(v <= 0));
        Assert.Equal(16, tops.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var alternatives = tops[i].EnumerateObject().ToList();
            Assert.InRange(alternatives.Count, 1, 3);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(alternatives.Max(a => a.Value.GetDouble()), values[i], 4);
            Assert.Equal(i == 0 ? 0 : offsets[i - 1] + tokens[i - 1].Length, offsets[i]);
        }
    }

    [SkippableFact]
    public async Task Best_of_generates_that_many_and_returns_the_most_probable()
    {
        var server = fixture.Require();
        var fields = $"\"prompt\":\"{Prompt}\",\"max_tokens\":10,\"temperature\":1.5,\"seed\":11,{fixture.NoEndBiasJson}";
        var candidates = await CompleteAsync(server, fields + ",\"n\":3,\"logprobs\":0");

        var best = await CompleteAsync(server, fields + ",\"best_of\":3,\"logprobs\":0");

        var chosen = Assert.Single(best.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, chosen.GetProperty("index").GetInt32());
        Assert.Equal(30, best.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        // The same seed draws the same three candidates; best_of keeps the one with the highest summed log probability.
        var expected = candidates.GetProperty("choices").EnumerateArray()
            .MaxBy(c => c.GetProperty("logprobs").GetProperty("token_logprobs").EnumerateArray().Sum(v => v.GetDouble()));
        Assert.Equal(expected.GetProperty("text").GetString(), chosen.GetProperty("text").GetString());
    }

    [SkippableTheory]
    [InlineData("\"prompt\":[]", "prompt")]
    [InlineData("\"prompt\":[[1,[2]]]", "prompt[0][1]")]
    [InlineData("\"prompt\":[\"a\",{\"b\":1}]", "prompt[1]")]
    [InlineData("\"prompt\":[1,512]", "prompt")]
    [InlineData("\"prompt\":\"a\",\"suffix\":\"b\"", "suffix")]
    [InlineData("\"prompt\":\"a\",\"logit_bias\":{\"600\":1}", "logit_bias")]
    [InlineData("\"prompt\":\"a\",\"n\":5", "n")]
    [InlineData("\"prompt\":\"a\",\"max_tokens\":100000", null)]
    public async Task Bad_inputs_are_400s_naming_the_field(string fields, string? param)
    {
        var server = fixture.Require();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => CompleteAsync(server, fields));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        if (param is not null)
        {
            Assert.Equal(param, body.GetProperty("param").GetString());
        }
    }

    private static async Task<int[]> TokenizeWithBosAsync(RunningServer server, string text)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("tokenize", UriKind.Relative), new { content = text, add_special = true });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];
    }

    // An unbuffered response: the raw event stream, as the SDK receives it.
    private static async Task<List<JsonElement>> StreamAsync(RunningServer server, string fields)
    {
        using var response = await PostAsync(server, fields, buffer: false);
        Assert.Equal((int)HttpStatusCode.OK, response.Status);
        using var reader = new StreamReader(response.ContentStream!);
        var raw = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", raw, StringComparison.Ordinal);
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1];
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        return [.. events.Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())];
    }
}
