using System.Buffers;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>, plus <c>details</c> when an error has
/// them (AbstractCore's prompt-cache binding errors).
/// </summary>
public sealed record OpenAIError(string Message, string Type, string? Param = null, string? Code = null)
{
    /// <summary>Structured facts about the error, written as <c>error.details</c>; null writes none.</summary>
    public JsonObject? Details { get; init; }

    public void WriteTo(IBufferWriter<byte> output)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        WriteNullable(json, "param", Param);
        WriteNullable(json, "code", Code);
        if (Details is not null)
        {
            json.WritePropertyName("details");
            Details.WriteTo(json);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteNullable(System.Text.Json.Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
