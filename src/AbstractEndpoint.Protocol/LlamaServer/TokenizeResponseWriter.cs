using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.LlamaServer;

/// <summary>
/// <c>POST /tokenize</c>'s answer in llama-server's shape: <c>{"tokens": [ids]}</c>, or with <c>with_pieces</c>
/// <c>{"tokens": [{"id", "piece"}]}</c> where a piece that is not whole UTF-8 (part of a multi-byte character) is
/// its byte values instead of a string.
/// </summary>
public static class TokenizeResponseWriter
{
    public static byte[] Write(IReadOnlyList<int> tokens, ITokenizer? pieces)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var output = new ArrayBufferWriter<byte>();
        using (var writer = OpenAIJson.CreateWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("tokens");
            foreach (var token in tokens)
            {
                if (pieces is null)
                {
                    writer.WriteNumberValue(token);
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteNumber("id", token);
                WritePiece(writer, pieces.TokenBytes(token));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WritePiece(Utf8JsonWriter writer, byte[] piece)
    {
        if (Utf8.IsValid(piece))
        {
            writer.WriteString("piece", Encoding.UTF8.GetString(piece));
            return;
        }

        writer.WriteStartArray("piece");
        foreach (var b in piece)
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }
}
