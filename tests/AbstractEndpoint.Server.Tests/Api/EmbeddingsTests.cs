using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI;
using OpenAI.Embeddings;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>POST /v1/embeddings</c> on a decoder model (stories260K: no pooling in its metadata, so last-token pooling,
/// L2-normalised) through the official OpenAI client, which asks for base64 and decodes it, and raw HTTP for floats.
/// </summary>
[Collection(StoriesServerCollection.Name)]
public sealed class EmbeddingsTests(StoriesServerFixture fixture)
{
    private static readonly string[] Sentences =
    [
        "Once upon a time, there was a little girl.",
        "The dog ran to the park.",
        "She liked to play with her ball in the sun.",
        "Tom was sad.",
    ];

    private static EmbeddingClient Client(RunningServer server) =>
        new("stories260K", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    private static async Task<float[][]> EmbedAsync(RunningServer server, IEnumerable<string> inputs)
    {
        var result = await Client(server).GenerateEmbeddingsAsync(inputs);
        return [.. result.Value.OrderBy(e => e.Index).Select(e => e.ToFloats().ToArray())];
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    [SkippableFact]
    public async Task A_batch_gives_one_unit_vector_per_input_equal_to_the_inputs_one_by_one()
    {
        var server = fixture.Require();

        var batch = await EmbedAsync(server, Sentences);
        var single = new List<float[]>();
        foreach (var sentence in Sentences)
        {
            single.Add(Assert.Single(await EmbedAsync(server, [sentence])));
        }

        Assert.Equal(Sentences.Length, batch.Length);
        Assert.All(batch, v => Assert.Equal(batch[0].Length, v.Length));
        Assert.True(batch[0].Length > 1);
        Assert.All(batch, v => Assert.Equal(1.0, Norm(v), 4));
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.True(VectorSimilarity.Cosine(batch[i], single[i]) >= 0.9999, $"input {i}: cosine {VectorSimilarity.Cosine(batch[i], single[i])}");
        }

        // Different texts are different vectors.
        Assert.True(VectorSimilarity.Cosine(batch[0], batch[1]) < 0.9999);
    }

    [SkippableFact]
    public async Task Identical_inputs_give_identical_vectors()
    {
        var server = fixture.Require();

        var vectors = await EmbedAsync(server, [Sentences[0], Sentences[1], Sentences[0]]);
        var again = Assert.Single(await EmbedAsync(server, [Sentences[0]]));

        Assert.True(VectorSimilarity.Cosine(vectors[0], vectors[2]) >= 0.9999);
        Assert.True(VectorSimilarity.Cosine(vectors[0], again) >= 0.9999);
    }

    [SkippableFact]
    public async Task Float_and_base64_are_the_same_vector_and_usage_counts_the_tokens()
    {
        var server = fixture.Require();

        var fromSdk = await EmbedAsync(server, Sentences[..2]);
        var floats = await PostAsync(server, new { model = "x", input = Sentences[..2], encoding_format = "float" });

        Assert.Equal(HttpStatusCode.OK, floats.Status);
        var body = floats.Body;
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("stories260K", body.GetProperty("model").GetString());
        var data = body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(data, d => Assert.Equal("embedding", d.GetProperty("object").GetString()));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(fromSdk[i], data[i].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray());
        }

        var tokens = 0;
        foreach (var sentence in Sentences[..2])
        {
            tokens += (await TokenizeWithBosAsync(server, sentence)).Length;
        }

        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(tokens, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [SkippableFact]
    public async Task Token_ids_embed_as_the_text_they_came_from()
    {
        var server = fixture.Require();
        var ids = await TokenizeWithBosAsync(server, Sentences[2]);

        var fromText = Assert.Single(await EmbedAsync(server, [Sentences[2]]));
        var fromIds = await PostAsync(server, new { model = "x", input = new[] { ids }, encoding_format = "float" });
        var fromFlatIds = await PostAsync(server, new { model = "x", input = ids, encoding_format = "float" });

        var vector = fromIds.Body.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.True(VectorSimilarity.Cosine(fromText, vector) >= 0.9999);
        Assert.Single(fromFlatIds.Body.GetProperty("data").EnumerateArray());
    }

    [SkippableFact]
    public async Task More_inputs_than_one_decode_takes_come_back_complete_and_in_order()
    {
        var server = fixture.Require();
        var inputs = Enumerable.Range(0, 150).Select(i => $"{Sentences[i % Sentences.Length]} {i}").ToArray();

        var vectors = await EmbedAsync(server, inputs);
        var last = Assert.Single(await EmbedAsync(server, [inputs[^1]]));

        Assert.Equal(150, vectors.Length);
        Assert.True(VectorSimilarity.Cosine(vectors[^1], last) >= 0.9999);
    }

    [SkippableFact]
    public async Task Embeddings_beside_running_streams_come_back_the_same_and_the_streams_finish_intact()
    {
        var server = fixture.Require();
        var inputs = Enumerable.Range(0, 100).Select(i => $"{Sentences[i % Sentences.Length]} {i}").ToArray();
        var alone = await EmbedAsync(server, inputs);
        string Body(int i) => $"{{\"model\":\"x\",\"prompt\":\"Once upon a time {i}\",\"max_tokens\":60,\"temperature\":0,{fixture.NoEndBiasJson}}}";
        async Task<string> CompleteAsync(int i)
        {
            using var response = await server.Http.PostAsync(
                new Uri("v1/completions", UriKind.Relative), new StringContent(Body(i), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("choices")[0].GetProperty("text").GetString()!;
        }

        var expected = await Task.WhenAll(Enumerable.Range(0, 3).Select(CompleteAsync));

        // The streams and the embeddings share the loop's steps; each must come out as it does alone.
        var streams = Enumerable.Range(0, 3).Select(CompleteAsync).ToArray();
        var beside = await EmbedAsync(server, inputs);
        var texts = await Task.WhenAll(streams);

        Assert.Equal(expected, texts);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.True(VectorSimilarity.Cosine(alone[i], beside[i]) >= 0.9999, $"input {i}: cosine {VectorSimilarity.Cosine(alone[i], beside[i])}");
        }
    }

    [SkippableTheory]
    [InlineData("{\"model\":\"x\",\"input\":[]}", "input")]
    [InlineData("{\"model\":\"x\",\"input\":[[1,[2]]]}", "input[0][1]")]
    [InlineData("{\"model\":\"x\",\"input\":[\"a\",{\"b\":1}]}", "input[1]")]
    [InlineData("{\"model\":\"x\",\"input\":[1,600]}", "input")]
    [InlineData("{\"model\":\"x\",\"input\":\"a\",\"encoding_format\":\"hex\"}", "encoding_format")]
    [InlineData("{\"model\":\"x\",\"input\":\"a\",\"dimensions\":3}", "dimensions")]
    [InlineData("{\"model\":\"x\"}", "input")]
    public async Task Bad_inputs_are_400s_naming_the_field(string body, string param)
    {
        var server = fixture.Require();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/embeddings", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RunningServer server, object body)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("v1/embeddings", UriKind.Relative), body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<int[]> TokenizeWithBosAsync(RunningServer server, string text)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("tokenize", UriKind.Relative), new { content = text, add_special = true });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];
    }
}
