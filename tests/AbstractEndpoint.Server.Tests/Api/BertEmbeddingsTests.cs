using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// A BERT-style embedding model (the synthetic <c>bert</c> GGUF: encoder only, pooling in its metadata) on the real
/// server: <c>/v1/embeddings</c> through the official OpenAI client, and the generation routes refusing it.
/// </summary>
public sealed class BertEmbeddingsTests(BertServersFixture fixture) : IClassFixture<BertServersFixture>
{
    private static readonly string[] Sentences =
    [
        "The little dog ran to the park.",
        "She was happy in the sun.",
        "Once upon a time there was a big tree.",
        "Tom said hello to his friend.",
    ];

    private static async Task<float[][]> EmbedAsync(RunningServer server, IEnumerable<string> inputs)
    {
        var client = new EmbeddingClient(
            BertServersFixture.ModelId, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });
        var result = await client.GenerateEmbeddingsAsync(inputs);
        return [.. result.Value.OrderBy(e => e.Index).Select(e => e.ToFloats().ToArray())];
    }

    [Fact]
    public async Task Vectors_have_the_model_width_are_unit_length_and_a_batch_equals_the_inputs_one_by_one()
    {
        var batch = await EmbedAsync(fixture.Mean, Sentences);
        var single = new List<float[]>();
        foreach (var sentence in Sentences)
        {
            single.Add(Assert.Single(await EmbedAsync(fixture.Mean, [sentence])));
        }

        Assert.All(batch, v => Assert.Equal(64, v.Length));
        Assert.All(batch, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        Assert.All(batch, v => Assert.All(v, x => Assert.True(float.IsFinite(x))));
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.True(VectorSimilarity.Cosine(batch[i], single[i]) >= 0.9999, $"input {i}: cosine {VectorSimilarity.Cosine(batch[i], single[i])}");
        }

        Assert.True(VectorSimilarity.Cosine(batch[0], batch[1]) < 0.9999);
    }

    [Fact]
    public async Task Identical_inputs_give_identical_vectors()
    {
        var vectors = await EmbedAsync(fixture.Mean, [Sentences[0], Sentences[1], Sentences[0]]);
        var again = Assert.Single(await EmbedAsync(fixture.Mean, [Sentences[0]]));

        Assert.True(VectorSimilarity.Cosine(vectors[0], vectors[2]) >= 0.9999);
        Assert.True(VectorSimilarity.Cosine(vectors[0], again) >= 0.9999);
    }

    [Fact]
    public async Task The_pooling_comes_from_the_metadata_and_pooling_overrides_it()
    {
        // The two files have the same weights and differ only in bert.pooling_type.
        var mean = await EmbedAsync(fixture.Mean, Sentences[..2]);
        var cls = await EmbedAsync(fixture.Cls, Sentences[..2]);
        var overridden = await EmbedAsync(fixture.MeanOverriddenToCls, Sentences[..2]);

        for (var i = 0; i < 2; i++)
        {
            Assert.True(VectorSimilarity.Cosine(cls[i], overridden[i]) >= 0.9999, $"input {i}: CLS by metadata and by --pooling differ");
            Assert.True(VectorSimilarity.Cosine(mean[i], cls[i]) < 0.999, $"input {i}: mean and CLS pooling gave the same vector");
        }
    }

    [Fact]
    public async Task Chat_and_completions_on_an_embedding_model_are_400s_that_say_so()
    {
        var chat = new ChatClient(
            BertServersFixture.ModelId, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Mean.BaseAddress, "v1") });
        var chatError = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hello")]));
        using var completion = await fixture.Mean.Http.PostAsJsonAsync(
            new Uri("v1/completions", UriKind.Relative), new { model = BertServersFixture.ModelId, prompt = "Hello", max_tokens = 4 });
        using var streamed = await fixture.Mean.Http.PostAsJsonAsync(
            new Uri("v1/chat/completions", UriKind.Relative),
            new { model = BertServersFixture.ModelId, stream = true, messages = new[] { new { role = "user", content = "Hello" } } });

        Assert.Equal(400, chatError.Status);
        foreach (var body in new[]
        {
            chatError.GetRawResponse()!.Content.ToString(),
            await completion.Content.ReadAsStringAsync(),
            await streamed.Content.ReadAsStringAsync(),
        })
        {
            var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
            Assert.Equal("unsupported_endpoint", error.GetProperty("code").GetString());
            Assert.Contains("embedding model", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(400, (int)completion.StatusCode);
        Assert.Equal(400, (int)streamed.StatusCode);
        // The server is still serving.
        Assert.Equal(64, Assert.Single(await EmbedAsync(fixture.Mean, ["still here"])).Length);
    }
}
