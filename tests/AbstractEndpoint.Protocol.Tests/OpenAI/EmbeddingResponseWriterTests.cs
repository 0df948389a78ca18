using System.Buffers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

public sealed class EmbeddingResponseWriterTests
{
    private static readonly EmbeddingResult Result = new([[0.5f, -0.25f], [1f, 0f]], PromptTokens: 7);

    private static string Write(bool base64)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EmbeddingResponseWriter.Write(buffer, Result, "my-model", base64);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Floats()
    {
        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25]},{"object":"embedding","index":1,"embedding":[1,0]}],"model":"my-model","usage":{"prompt_tokens":7,"total_tokens":7}}""",
            Write(base64: false));
    }

    [Fact]
    public void Base64_is_the_little_endian_float32_bytes()
    {
        var data = JsonDocument.Parse(Write(base64: true)).RootElement.GetProperty("data");

        for (var i = 0; i < 2; i++)
        {
            var bytes = Convert.FromBase64String(data[i].GetProperty("embedding").GetString()!);
            var floats = Enumerable.Range(0, bytes.Length / 4).Select(k => BitConverter.ToSingle(bytes, k * 4)).ToArray();
            Assert.Equal(Result.Vectors[i], floats);
        }
    }
}
