using System.Buffers;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>
/// The small bodies of the stored-response routes: a page of input items
/// (<c>{"object":"list","data","first_id","last_id","has_more"}</c>), a deletion, an input token count.
/// </summary>
public static class ResponseListWriter
{
    public static void WriteItems(IBufferWriter<byte> output, IReadOnlyList<JsonObject> items, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(items);
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        foreach (var item in items)
        {
            item.WriteTo(json);
        }

        json.WriteEndArray();
        WriteId(json, "first_id", items.Count > 0 ? items[0] : null);
        WriteId(json, "last_id", items.Count > 0 ? items[^1] : null);
        json.WriteBoolean("has_more", hasMore);
        json.WriteEndObject();
    }

    public static void WriteDeleted(IBufferWriter<byte> output, string id)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", "response");
        json.WriteBoolean("deleted", true);
        json.WriteEndObject();
    }

    public static void WriteInputTokens(IBufferWriter<byte> output, int tokens)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("object", "response.input_tokens");
        json.WriteNumber("input_tokens", tokens);
        json.WriteEndObject();
    }

    private static void WriteId(System.Text.Json.Utf8JsonWriter json, string name, JsonObject? item)
    {
        if (item?["id"]?.GetValue<string>() is { } id)
        {
            json.WriteString(name, id);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
