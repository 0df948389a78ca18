using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>POST /tokenize</c> and <c>POST /detokenize</c> on a real SentencePiece vocabulary (512 tokens, byte fallback).</summary>
[Collection(StoriesServerCollection.Name)]
public sealed class TokenizeTests(StoriesServerFixture fixture)
{
    [SkippableTheory]
    [InlineData("Once upon a time, there was a little girl.")]
    [InlineData("café, naïve, 日本語, 🙂 and Ωμέγα")]
    public async Task Detokenize_gives_back_the_text_that_was_tokenized(string text)
    {
        var server = fixture.Require();

        var tokens = await TokenizeAsync(server, new { content = text });
        var content = await DetokenizeAsync(server, tokens);

        Assert.NotEmpty(tokens);
        // SentencePiece writes the space it prefixes to the first word back, as llama-server's /detokenize does.
        Assert.Equal(" " + text, content);
    }

    [SkippableFact]
    public async Task Pieces_are_text_or_the_bytes_of_a_split_character_and_join_to_the_text()
    {
        var server = fixture.Require();
        const string Text = "sun 🙂 日";

        var pieces = await PostJsonAsync(server, "tokenize", new { content = Text, with_pieces = true });

        var bytes = new List<byte>();
        var byteArrays = 0;
        foreach (var token in pieces.GetProperty("tokens").EnumerateArray())
        {
            Assert.True(token.GetProperty("id").GetInt32() >= 0);
            var piece = token.GetProperty("piece");
            if (piece.ValueKind == JsonValueKind.String)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(piece.GetString()!));
            }
            else
            {
                byteArrays++;
                bytes.AddRange(piece.EnumerateArray().Select(b => (byte)b.GetInt32()));
            }
        }

        // 512 tokens hold no emoji or kanji: they are byte-fallback tokens, each a part of a character.
        Assert.True(byteArrays >= 4, $"{byteArrays} byte pieces");
        Assert.Equal(" " + Text, Encoding.UTF8.GetString([.. bytes]));
    }

    [SkippableFact]
    public async Task Add_special_adds_the_BOS_and_parse_special_reads_special_token_text()
    {
        var server = fixture.Require();

        var plain = await TokenizeAsync(server, new { content = "Once" });
        var withBos = await TokenizeAsync(server, new { content = "Once", add_special = true });
        var special = await TokenizeAsync(server, new { content = "</s>" });
        var literal = await TokenizeAsync(server, new { content = "</s>", parse_special = false });

        Assert.Equal([1, .. plain], withBos);
        Assert.Equal([2], special);
        Assert.True(literal.Length > 1 && !literal.Contains(2), string.Join(",", literal));
    }

    [SkippableTheory]
    [InlineData("detokenize", "{\"tokens\":[512]}", "tokens")]
    [InlineData("detokenize", "{\"tokens\":[5,-1]}", "tokens")]
    [InlineData("detokenize", "{\"tokens\":[[5]]}", "tokens")]
    [InlineData("detokenize", "{\"tokens\":[\"5\"]}", "tokens")]
    [InlineData("detokenize", "{\"tokens\":5}", "tokens")]
    [InlineData("detokenize", "{}", "tokens")]
    [InlineData("tokenize", "{\"content\":[\"a\"]}", "content")]
    [InlineData("tokenize", "{\"content\":\"a\",\"add_special\":\"yes\"}", "add_special")]
    [InlineData("tokenize", "{}", "content")]
    [InlineData("tokenize", "[]", "body")]
    public async Task Bad_input_is_a_400_naming_the_field(string route, string body, string param)
    {
        var server = fixture.Require();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri(route, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [SkippableFact]
    public async Task Empty_input_is_empty_output_and_unknown_fields_are_ignored()
    {
        var server = fixture.Require();

        Assert.Empty(await TokenizeAsync(server, new { content = "", extra = 1 }));
        Assert.Equal("", await DetokenizeAsync(server, []));
    }

    private static async Task<int[]> TokenizeAsync(RunningServer server, object body) =>
        [.. (await PostJsonAsync(server, "tokenize", body)).GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32())];

    private static async Task<string> DetokenizeAsync(RunningServer server, int[] tokens) =>
        (await PostJsonAsync(server, "detokenize", new { tokens })).GetProperty("content").GetString()!;

    private static async Task<JsonElement> PostJsonAsync(RunningServer server, string route, object body)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri(route, UriKind.Relative), body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
