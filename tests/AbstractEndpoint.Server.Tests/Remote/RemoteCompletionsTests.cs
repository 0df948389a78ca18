using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// <c>/v1/completions</c> and <c>/v1/embeddings</c> through a front with <c>--provider openai-compatible</c> over our
/// own server on stories260K, with the official OpenAI client (its pipeline for completions, whose client OpenAI .NET
/// keeps internal; its embedding client): the replies equal what the upstream answers directly, streams pass through
/// as they come, the client's going away frees the upstream's slot, and an upstream 4xx keeps its status.
/// </summary>
[Collection(RemoteFrontCollection.Name)]
public sealed class RemoteCompletionsTests(RemoteFrontFixture fixture)
{
    private const string Prompt = "Once upon a time";

    // stories260K's end-of-text token banned, so a greedy completion runs to its max_tokens.
    private const string Greedy = "\"temperature\":0,\"logit_bias\":{\"2\":-100}";

    private static OpenAIClient Client(RunningServer server) =>
        new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    private static async Task<PipelineResponse> PostAsync(RunningServer server, string route, string fields, bool buffer = true)
    {
        var pipeline = Client(server).Pipeline;
        var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.BaseAddress, route);
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString("{\"model\":\"m\"," + fields + "}"));
        message.BufferResponse = buffer;
        await pipeline.SendAsync(message);
        var response = message.ExtractResponse()!;
        return response.IsError ? throw await ClientResultException.CreateAsync(response) : response;
    }

    private static async Task<JsonElement> CompleteAsync(RunningServer server, string fields) =>
        JsonDocument.Parse((await PostAsync(server, "v1/completions", fields)).Content.ToString()).RootElement.Clone();

    private static async Task<List<JsonElement>> StreamAsync(RunningServer server, string fields)
    {
        using var response = await PostAsync(server, "v1/completions", fields, buffer: false);
        using var reader = new StreamReader(response.ContentStream!);
        var raw = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", raw, StringComparison.Ordinal);
        var events = raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1];
        return [.. events.Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())];
    }

    private static string Text(JsonElement completion, int choice = 0) =>
        completion.GetProperty("choices")[choice].GetProperty("text").GetString()!;

    [SkippableFact]
    public async Task A_plain_completion_through_the_front_equals_the_upstreams()
    {
        var (front, upstream) = fixture.Require();
        var fields = $"\"prompt\":\"{Prompt}\",\"max_tokens\":20,{Greedy}";

        var direct = await CompleteAsync(upstream, fields);
        var through = await CompleteAsync(front, fields);

        Assert.Equal("text_completion", through.GetProperty("object").GetString());
        Assert.Equal(RemoteFrontFixture.FrontModel, through.GetProperty("model").GetString());
        Assert.Equal(Text(direct), Text(through));
        Assert.Equal("length", through.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(direct.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), through.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(20, through.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        // The upstream is one of ours: its abstractcore object comes through as it sent it.
        var execution = through.GetProperty("abstractcore").GetProperty("execution");
        Assert.Equal("continuous", execution.GetProperty("mode").GetString());
        Assert.True(execution.GetProperty("ttft_s").GetDouble() > 0);
    }

    [SkippableFact]
    public async Task A_streamed_completion_arrives_in_pieces_that_join_to_the_whole_then_usage()
    {
        var (front, _) = fixture.Require();
        var whole = Text(await CompleteAsync(front, $"\"prompt\":\"{Prompt}\",\"max_tokens\":24,{Greedy}"));

        var events = await StreamAsync(front, $"\"prompt\":\"{Prompt}\",\"max_tokens\":24,\"stream\":true,\"stream_options\":{{\"include_usage\":true}},{Greedy}");

        var pieces = events[..^1].Select(e => Text(e)).Where(t => t.Length > 0).ToList();
        Assert.True(pieces.Count > 1, "the completion should arrive in several chunks");
        Assert.Equal(whole, string.Concat(pieces));
        Assert.Equal("length", events[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, events[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(24, events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task N_choices_best_of_echo_and_logprobs_come_through_as_the_upstream_gives_them()
    {
        var (front, upstream) = fixture.Require();

        var several = await CompleteAsync(front, $"\"prompt\":\"{Prompt}\",\"max_tokens\":6,\"n\":3,\"temperature\":1,\"seed\":5");
        Assert.Equal([0, 1, 2], several.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(several.GetProperty("choices").EnumerateArray(), c => Assert.Equal(JsonValueKind.String, c.GetProperty("finish_reason").ValueKind));
        Assert.InRange(several.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 3, 18);

        var echoed = await CompleteAsync(front, $"\"prompt\":\"{Prompt}\",\"max_tokens\":6,\"echo\":true,{Greedy}");
        Assert.Equal(Text(await CompleteAsync(upstream, $"\"prompt\":\"{Prompt}\",\"max_tokens\":6,\"echo\":true,{Greedy}")), Text(echoed));
        Assert.StartsWith(Prompt, Text(echoed), StringComparison.Ordinal);

        // best_of is picked here, from the log probabilities the upstream sends back.
        var best = await CompleteAsync(front, $"\"prompt\":\"{Prompt}\",\"max_tokens\":6,\"n\":1,\"best_of\":3,\"temperature\":1,\"seed\":5");
        Assert.Equal(JsonValueKind.String, Assert.Single(best.GetProperty("choices").EnumerateArray()).GetProperty("finish_reason").ValueKind);
        Assert.InRange(best.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 3, 18);

        var fields = $"\"prompt\":\"{Prompt}\",\"max_tokens\":5,\"logprobs\":2,{Greedy}";
        var direct = (await CompleteAsync(upstream, fields)).GetProperty("choices")[0].GetProperty("logprobs");
        var through = (await CompleteAsync(front, fields)).GetProperty("choices")[0].GetProperty("logprobs");
        // Two computations of one prompt agree to rounding, not bit for bit: where a sequence's cells sit in the
        // shared KV cache (which other requests moved meanwhile) changes the order of the attention's sums.
        Assert.Equal(direct.GetProperty("tokens").GetRawText(), through.GetProperty("tokens").GetRawText());
        AssertClose(Numbers(direct.GetProperty("token_logprobs")), Numbers(through.GetProperty("token_logprobs")));
        var directTop = direct.GetProperty("top_logprobs").EnumerateArray().Select(o => o.EnumerateObject().ToList()).ToList();
        var throughTop = through.GetProperty("top_logprobs").EnumerateArray().Select(o => o.EnumerateObject().ToList()).ToList();
        Assert.Equal(directTop.Select(o => o.Select(p => p.Name)), throughTop.Select(o => o.Select(p => p.Name)));
        AssertClose([.. directTop.SelectMany(o => o.Select(p => p.Value.GetDouble()))], [.. throughTop.SelectMany(o => o.Select(p => p.Value.GetDouble()))]);
    }

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-3, $"log probability {i}: {expected[i]} against {actual[i]}");
        }
    }

    [SkippableFact]
    public async Task An_upstream_400_passes_through_with_its_status_and_message()
    {
        var (front, _) = fixture.Require();

        // A token id outside stories260K's 512-token vocabulary: the upstream refuses it, the front passes that on.
        var error = await Assert.ThrowsAsync<ClientResultException>(() => CompleteAsync(front, "\"prompt\":[1,99999],\"max_tokens\":3"));

        Assert.Equal(400, error.Status);
        using var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString());
        Assert.Contains("outside the vocabulary", body.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_client_disconnect_mid_stream_frees_the_upstream_slot()
    {
        var (front, upstream) = fixture.Require();
        const int maxTokens = 3000;
        var body = $"{{\"model\":\"m\",\"prompt\":\"{Prompt}\",\"stream\":true,\"max_tokens\":{maxTokens},{Greedy}}}";
        await FrontChatChecks.ClientDisconnectFreesTheUpstreamSlotAsync(front, upstream, "v1/completions", body, maxTokens, "\"text\":\"");
    }

    [SkippableFact]
    public async Task Embeddings_as_base64_and_as_floats_equal_the_upstreams_own_vectors()
    {
        var (front, upstream) = fixture.Require();
        string[] inputs = ["Once upon a time, there was a little girl.", "The dog ran to the park."];

        var direct = await Client(upstream).GetEmbeddingClient("m").GenerateEmbeddingsAsync(inputs);
        var viaBase64 = await Client(front).GetEmbeddingClient("m").GenerateEmbeddingsAsync(inputs); // the SDK asks for base64
        var viaFloats = JsonDocument.Parse((await PostAsync(front, "v1/embeddings", "\"input\":[\"" + string.Join("\",\"", inputs) + "\"],\"encoding_format\":\"float\"")).Content.ToString()).RootElement;

        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = direct.Value[i].ToFloats().ToArray();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, viaBase64.Value[i].ToFloats().ToArray());
            Assert.Equal(expected, viaFloats.GetProperty("data")[i].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()));
        }

        Assert.Equal(direct.Value.Usage.InputTokenCount, viaBase64.Value.Usage.InputTokenCount);
        Assert.Equal(RemoteFrontFixture.FrontModel, viaFloats.GetProperty("model").GetString());
    }

    [SkippableFact]
    public async Task An_embeddings_error_of_the_upstream_keeps_its_400()
    {
        var (front, _) = fixture.Require();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => PostAsync(front, "v1/embeddings", "\"input\":[[1,99999]]"));

        Assert.Equal(400, error.Status);
    }
}
