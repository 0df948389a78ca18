using System.Buffers;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAIError(string Message, string Type, string? Param = null, string? Code = null)
{
    public void WriteTo(IBufferWriter<byte> output)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        WriteNullable(json, "param", Param);
        WriteNullable(json, "code", Code);
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
