using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Core.Completion;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Writes an embeddings request as the body of an OpenAI <c>POST /embeddings</c> for an upstream provider: the inputs
/// as a list (text, or token ids), <c>dimensions</c> when the client asked for it, and always
/// <c>encoding_format: "float"</c>, the format every OpenAI-style server speaks (the client's own choice of base64 is
/// this server's to write).
/// </summary>
public static class EmbeddingRequestWireWriter
{
    public static byte[] Write(IReadOnlyList<TextPrompt> inputs, int? dimensions, string model)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteStartArray("input");
            foreach (var input in inputs)
            {
                if (input.Text is { } text)
                {
                    json.WriteStringValue(text);
                    continue;
                }

                json.WriteStartArray();
                foreach (var token in input.Tokens!)
                {
                    json.WriteNumberValue(token);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            if (dimensions is { } width)
            {
                json.WriteNumber("dimensions", width);
            }

            json.WriteString("encoding_format", "float");
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
