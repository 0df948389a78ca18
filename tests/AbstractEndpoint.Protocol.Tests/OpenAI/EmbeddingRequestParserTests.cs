using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

public sealed class EmbeddingRequestParserTests
{
    private static ParsedEmbeddings Parse(string body, bool strict = false) =>
        EmbeddingRequestParser.Parse(Encoding.UTF8.GetBytes(body), strict);

    [Fact]
    public void Inputs_in_every_spelling()
    {
        Assert.Equal(["a"], Parse("""{"model":"m","input":"a"}""").Inputs.Select(i => i.Text));
        Assert.Equal(["a", "b"], Parse("""{"model":"m","input":["a","b"]}""").Inputs.Select(i => i.Text));
        Assert.Equal([1, 2], Assert.Single(Parse("""{"model":"m","input":[1,2]}""").Inputs).Tokens);
        Assert.Equal(2, Parse("""{"model":"m","input":[[1],[2,3]]}""").Inputs.Count);
    }

    [Fact]
    public void Encoding_format_and_dimensions()
    {
        Assert.False(Parse("""{"model":"m","input":"a"}""").Base64);
        Assert.False(Parse("""{"model":"m","input":"a","encoding_format":"float"}""").Base64);
        Assert.True(Parse("""{"model":"m","input":"a","encoding_format":"base64"}""").Base64);
        Assert.Equal(64, Parse("""{"model":"m","input":"a","dimensions":64}""").Dimensions);
    }

    [Theory]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":[["a"]]}""", "input[0][0]")]
    [InlineData("""{"model":"m","input":[true]}""", "input[0]")]
    [InlineData("""{"model":"m","input":"a","encoding_format":"hex"}""", "encoding_format")]
    [InlineData("""{"model":"m","input":"a","dimensions":0}""", "dimensions")]
    [InlineData("""{"input":"a"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    public void Bad_bodies_are_400s_naming_the_field(string body, string param)
    {
        Assert.Equal(param, Assert.Throws<InvalidRequestException>(() => Parse(body)).Param);
    }

    [Fact]
    public void Dimensions_other_than_the_models_are_refused()
    {
        var parsed = Parse("""{"model":"m","input":"a","dimensions":8}""");

        parsed.CheckDimensions(8);
        Assert.Equal("dimensions", Assert.Throws<InvalidRequestException>(() => parsed.CheckDimensions(16)).Param);
    }

    [Fact]
    public void Unknown_fields_are_ignored_or_refused_when_strict()
    {
        Assert.Equal(["truncate"], Parse("""{"model":"m","input":"a","truncate":true}""").Ignored.Select(f => f.Name));
        Assert.Throws<InvalidRequestException>(() => Parse("""{"model":"m","input":"a","truncate":true}""", strict: true));
    }
}
