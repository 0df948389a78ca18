using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>suffix</c> on <c>POST /v1/completions</c> against a model whose vocabulary has fill-in-the-middle tokens (the
/// synthetic tiny model with <see cref="FillInTheMiddleVocabulary"/>'s markers), through the OpenAI client's pipeline.
/// What the model saw is checked by its effect: greedy decoding of the FIM request writes exactly what the same
/// decoding writes for the token ids <c>BOS PRE prefix SUF suffix MID</c>, and the usage counts those ids. (The
/// model without FIM tokens refuses <c>suffix</c> with a 400: <see cref="CompletionsTests"/>.)
/// </summary>
public sealed class FillInTheMiddleTests(FillInTheMiddleServerFixture fixture) : IClassFixture<FillInTheMiddleServerFixture>
{
    private const string Prefix = "The little dog said";
    private const string Suffix = " and the sun was happy.";

    private static async Task<JsonElement> CompleteAsync(RunningServer server, string fields)
    {
        var pipeline = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") }).Pipeline;
        var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.BaseAddress, "v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString("{\"model\":\"tiny-fim\"," + fields + "}"));
        await pipeline.SendAsync(message);
        var response = message.ExtractResponse()!;
        if (response.IsError)
        {
            throw await ClientResultException.CreateAsync(response);
        }

        return JsonDocument.Parse(response.Content.ToString()).RootElement.Clone();
    }

    private static async Task<int[]> TokenizeAsync(RunningServer server, string text, bool special)
    {
        using var response = await server.Http.PostAsJsonAsync(
            new Uri("tokenize", UriKind.Relative), new { content = text, add_special = false, parse_special = special });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];
    }

    private string Greedy => $"\"max_tokens\":12,\"temperature\":0,{fixture.NoEndBiasJson}";

    [SkippableFact]
    public async Task The_vocabulary_has_the_three_markers_as_single_control_tokens()
    {
        var server = fixture.Require();

        var markers = await TokenizeAsync(
            server, FillInTheMiddleVocabulary.Prefix + FillInTheMiddleVocabulary.Suffix + FillInTheMiddleVocabulary.Middle, special: true);

        var first = BuiltInVocabulary.Create().TokenCount;
        Assert.Equal([first, first + 1, first + 2], markers);
    }

    [SkippableFact]
    public async Task A_suffix_puts_prefix_and_suffix_between_the_markers_and_the_model_writes_the_middle()
    {
        var server = fixture.Require();
        var first = BuiltInVocabulary.Create().TokenCount;
        int[] expected =
        [
            BuiltInVocabulary.BosId, first, .. await TokenizeAsync(server, Prefix, special: false),
            first + 1, .. await TokenizeAsync(server, Suffix, special: false), first + 2,
        ];

        var infill = await CompleteAsync(server, $"\"prompt\":{JsonSerializer.Serialize(Prefix)},\"suffix\":{JsonSerializer.Serialize(Suffix)}," + Greedy);
        var fromIds = await CompleteAsync(server, $"\"prompt\":[{string.Join(",", expected)}]," + Greedy);
        var plain = await CompleteAsync(server, $"\"prompt\":{JsonSerializer.Serialize(Prefix)}," + Greedy);

        Assert.Equal(expected.Length, infill.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(12, infill.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var middle = infill.GetProperty("choices")[0].GetProperty("text").GetString();
        Assert.False(string.IsNullOrEmpty(middle));
        Assert.Equal(fromIds.GetProperty("choices")[0].GetProperty("text").GetString(), middle);
        // Without the suffix the prompt is BOS + prefix: the markers and the suffix were what made the difference.
        Assert.True(plain.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() < expected.Length - 3);
    }

    [SkippableFact]
    public async Task A_suffix_cannot_forge_markers_its_text_is_tokenized_plainly()
    {
        var server = fixture.Require();
        var forged = "x" + FillInTheMiddleVocabulary.Middle;

        var infill = await CompleteAsync(server, $"\"prompt\":\"a\",\"suffix\":{JsonSerializer.Serialize(forged)}," + Greedy);

        // BOS PRE a SUF <the marker's text as plain pieces> MID: more than one token for the forged marker.
        var plainSuffix = await TokenizeAsync(server, forged, special: false);
        var prefix = await TokenizeAsync(server, "a", special: false);
        Assert.True(plainSuffix.Length > 2);
        Assert.Equal(4 + prefix.Length + plainSuffix.Length, infill.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }
}
