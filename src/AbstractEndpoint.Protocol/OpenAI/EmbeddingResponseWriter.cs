using System.Buffers;
using System.Runtime.InteropServices;
using AbstractEndpoint.Core.Embeddings;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// OpenAI's embeddings reply: <c>{"object":"list","data":[{"object":"embedding","index":i,"embedding":…}],"model":…,
/// "usage":{"prompt_tokens":n,"total_tokens":n}}</c>; a vector is an array of numbers, or with <c>base64</c> the
/// base64 of its little-endian float32 bytes (what OpenAI's SDKs ask for by default and decode).
/// </summary>
public static class EmbeddingResponseWriter
{
    public static void Write(IBufferWriter<byte> output, EmbeddingResult result, string model, bool base64)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        for (var i = 0; i < result.Vectors.Count; i++)
        {
            json.WriteStartObject();
            json.WriteString("object", "embedding");
            json.WriteNumber("index", i);
            if (base64)
            {
                json.WriteBase64String("embedding", LittleEndianBytes(result.Vectors[i]));
            }
            else
            {
                json.WriteStartArray("embedding");
                foreach (var x in result.Vectors[i])
                {
                    json.WriteNumberValue(x);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("model", model);
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", result.PromptTokens);
        json.WriteNumber("total_tokens", result.PromptTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static byte[] LittleEndianBytes(float[] vector)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();
        }

        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
