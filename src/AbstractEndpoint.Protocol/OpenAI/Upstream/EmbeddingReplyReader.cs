using System.Buffers.Binary;
using System.Text.Json;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Reads an upstream's embeddings reply (<c>{"data":[{"index","embedding"}],"usage":{"prompt_tokens"}}</c>) into an
/// <see cref="EmbeddingResult"/>, vectors in input order by their <c>index</c>. A vector is an array of numbers, each
/// read as the nearest float32 (so an upstream's float32 values come back exactly), or, from an upstream that answers
/// base64 anyway, its little-endian float32 bytes. A reply that does not give one vector per input is a 502.
/// </summary>
public static class EmbeddingReplyReader
{
    public static EmbeddingResult Read(ReadOnlySpan<byte> body, int inputs)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw BadReply("it has no 'data' list");
            }

            var vectors = new float[]?[inputs];
            var position = 0;
            foreach (var item in data.EnumerateArray())
            {
                var index = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("index", out var i)
                    && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : position;
                if (index < 0 || index >= inputs || vectors[index] is not null)
                {
                    throw BadReply($"it gives a vector for input {index} of {inputs}, or twice");
                }

                vectors[index] = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("embedding", out var embedding)
                    ? Vector(embedding) : throw BadReply($"item {position} has no 'embedding'");
                position++;
            }

            if (Array.FindIndex(vectors, v => v is null) is var missing and >= 0)
            {
                throw BadReply($"it gives no vector for input {missing}");
            }

            var promptTokens = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
                ? UpstreamChoiceTally.Number(usage, "prompt_tokens") : 0;
            return new EmbeddingResult(vectors!, promptTokens);
        }
        catch (JsonException ex)
        {
            throw BadReply("it is not JSON: " + ex.Message);
        }
    }

    private static float[] Vector(JsonElement embedding)
    {
        switch (embedding.ValueKind)
        {
            case JsonValueKind.Array:
                var vector = new float[embedding.GetArrayLength()];
                var i = 0;
                foreach (var x in embedding.EnumerateArray())
                {
                    vector[i++] = x.ValueKind == JsonValueKind.Number && x.TryGetSingle(out var value)
                        ? value : throw BadReply("a vector holds something other than a number");
                }

                return vector;
            case JsonValueKind.String when embedding.TryGetBytesFromBase64(out var bytes) && bytes.Length % sizeof(float) == 0:
                var decoded = new float[bytes.Length / sizeof(float)];
                for (var j = 0; j < decoded.Length; j++)
                {
                    decoded[j] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(j * sizeof(float)));
                }

                return decoded;
            default:
                throw BadReply("a vector is neither a list of numbers nor base64 float32");
        }
    }

    private static UpstreamException BadReply(string why) =>
        new($"The upstream's embeddings reply cannot be read: {why}.", 502, code: "upstream_bad_reply");
}
