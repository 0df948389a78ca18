using System.Text.Json;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// A message's <c>tool_calls</c> array in OpenAI's shape, written the same way in our replies and in the requests a
/// remote provider gets from us.
/// </summary>
internal static class ToolCallsJson
{
    /// <summary>Writes <c>"tool_calls": [...]</c>, or nothing when there are no calls.</summary>
    public static void WriteIfAny(Utf8JsonWriter json, IReadOnlyList<ToolCall> calls)
    {
        if (calls.Count == 0)
        {
            return;
        }

        json.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            json.WriteStartObject();
            json.WriteString("id", call.Id);
            json.WriteString("type", "function");
            json.WriteStartObject("function");
            json.WriteString("name", call.Name);
            json.WriteString("arguments", call.ArgumentsJson);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
