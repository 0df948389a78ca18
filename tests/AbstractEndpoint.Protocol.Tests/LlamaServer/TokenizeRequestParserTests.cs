using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.LlamaServer;

namespace AbstractEndpoint.Protocol.Tests.LlamaServer;

public sealed class TokenizeRequestParserTests
{
    [Fact]
    public void Defaults_are_llama_servers()
    {
        var request = TokenizeRequestParser.Parse(Bytes("{\"content\":\"hi\"}"));

        Assert.Equal("hi", request.Content);
        Assert.False(request.AddSpecial);
        Assert.True(request.ParseSpecial);
        Assert.False(request.WithPieces);
        Assert.Empty(request.Ignored);
    }

    [Fact]
    public void Flags_are_read_and_null_means_not_given()
    {
        var request = TokenizeRequestParser.Parse(
            Bytes("{\"content\":\"hi\",\"add_special\":true,\"parse_special\":false,\"with_pieces\":true,\"content_x\":null}"));

        Assert.True(request.AddSpecial);
        Assert.False(request.ParseSpecial);
        Assert.True(request.WithPieces);
        Assert.Equal("content_x", Assert.Single(request.Ignored).Name);
    }

    [Fact]
    public void Unknown_fields_are_ignored_unless_strict()
    {
        var body = Bytes("{\"content\":\"hi\",\"n_probs\":3}");

        Assert.Equal("n_probs", Assert.Single(TokenizeRequestParser.Parse(body).Ignored).Name);
        var error = Assert.Throws<InvalidRequestException>(() => TokenizeRequestParser.Parse(body, strict: true));
        Assert.Equal("n_probs", error.Param);
    }

    [Theory]
    [InlineData("{\"tokens\":[1,2,3]}", new[] { 1, 2, 3 })]
    [InlineData("{\"tokens\":[]}", new int[0])]
    public void Detokenize_reads_token_ids(string body, int[] expected) =>
        Assert.Equal(expected, DetokenizeRequestParser.Parse(Bytes(body)).Tokens);

    [Theory]
    [InlineData("{\"tokens\":[1.5]}")]
    [InlineData("{\"tokens\":[4294967296]}")]
    [InlineData("{\"tokens\":[{}]}")]
    [InlineData("{\"tokens\":\"1 2\"}")]
    public void Detokenize_refuses_what_is_not_a_token_id(string body)
    {
        var error = Assert.Throws<InvalidRequestException>(() => DetokenizeRequestParser.Parse(Bytes(body)));
        Assert.Equal("tokens", error.Param);
    }

    private static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);
}
