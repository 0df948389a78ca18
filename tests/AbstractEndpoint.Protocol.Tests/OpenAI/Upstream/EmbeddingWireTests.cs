using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

/// <summary><see cref="EmbeddingRequestWireWriter"/> and <see cref="EmbeddingReplyReader"/>: the two directions of a remote embeddings call.</summary>
public sealed class EmbeddingWireTests
{
    [Fact]
    public void Inputs_go_as_a_list_of_text_and_token_ids_asking_for_floats()
    {
        var body = JsonDocument.Parse(EmbeddingRequestWireWriter.Write([TextPrompt.FromText("a"), TextPrompt.FromTokens([1, 2])], 64, "emb")).RootElement;

        Assert.Equal("""{"model":"emb","input":["a",[1,2]],"dimensions":64,"encoding_format":"float"}""", body.GetRawText());
        Assert.False(JsonDocument.Parse(EmbeddingRequestWireWriter.Write([TextPrompt.FromText("a")], null, "emb")).RootElement.TryGetProperty("dimensions", out _));
    }

    [Fact]
    public void Vectors_come_back_in_input_order_exactly_as_float32()
    {
        var value = 0.1f;
        var base64 = Convert.ToBase64String(BitConverter.GetBytes(-2.5f).Concat(BitConverter.GetBytes(value)).ToArray());
        var reply = $$$"""
            {"object":"list","data":[{"object":"embedding","index":1,"embedding":"{{{base64}}}"},
             {"object":"embedding","index":0,"embedding":[0.1,-3.4028235E+38,1e-45]}],"usage":{"prompt_tokens":9,"total_tokens":9}}
            """;

        var result = EmbeddingReplyReader.Read(Encoding.UTF8.GetBytes(reply), 2);

        Assert.Equal(9, result.PromptTokens);
        Assert.Equal([0.1f, float.MinValue, float.Epsilon], result.Vectors[0]);
        Assert.Equal([-2.5f, 0.1f], result.Vectors[1]);
    }

    [Theory]
    [InlineData("""{"data":[{"index":0,"embedding":[1]}]}""")]
    [InlineData("""{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]}""")]
    [InlineData("""{"data":[{"index":0,"embedding":["x"]},{"index":1,"embedding":[2]}]}""")]
    [InlineData("""{"object":"list"}""")]
    [InlineData("not json")]
    public void A_reply_without_one_vector_per_input_is_a_502(string reply)
    {
        var error = Assert.Throws<UpstreamException>(() => EmbeddingReplyReader.Read(Encoding.UTF8.GetBytes(reply), 2));

        Assert.Equal((502, "upstream_bad_reply"), (error.StatusCode, error.Code));
    }
}
