using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Shared writer settings: compact JSON, non-ASCII kept as UTF-8 like OpenAI's own responses (characters outside
/// the Basic Multilingual Plane, such as emoji, are still written as escaped surrogate pairs: valid JSON).
/// </summary>
internal static class OpenAIJson
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, WriterOptions);
}
