using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>
/// The request's tools, looked up by name. XML-style formats (Qwen3-Coder, GLM) write parameter values as raw
/// text, so whether <c>42</c> means the number or the string "42" depends on the parameter's schema.
/// </summary>
internal sealed class ToolCatalog
{
    public static readonly ToolCatalog Empty = new(null);

    private readonly Dictionary<string, ToolDefinition> _byName = new(StringComparer.Ordinal);

    public ToolCatalog(IReadOnlyList<ToolDefinition>? tools)
    {
        foreach (var tool in tools ?? [])
        {
            _byName.TryAdd(tool.Name, tool);
        }
    }

    /// <summary>The JSON text for a raw parameter value.</summary>
    public string ValueJson(string toolName, string parameter, string raw)
    {
        var schemaTypes = ParameterTypes(toolName, parameter);
        var wantsString = schemaTypes.Count == 0 ? (bool?)null : schemaTypes.Contains("string");
        if (wantsString == true && (schemaTypes.Count == 1 || !LooksLikeJson(raw, schemaTypes)))
        {
            return JsonSerializer.Serialize(raw, Schema.SchemaKeywords.Compact);
        }

        var trimmed = raw.Trim();
        try
        {
            var node = JsonNode.Parse(trimmed);
            return Schema.SchemaKeywords.ToJson(node);
        }
        catch (JsonException)
        {
            return JsonSerializer.Serialize(raw, Schema.SchemaKeywords.Compact);
        }
    }

    private static bool LooksLikeJson(string raw, List<string> types)
    {
        try
        {
            var kind = JsonNode.Parse(raw.Trim())?.GetValueKind() ?? JsonValueKind.Null;
            return kind switch
            {
                JsonValueKind.Number => types.Contains("number") || types.Contains("integer"),
                JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
                JsonValueKind.Null => types.Contains("null"),
                JsonValueKind.Object => types.Contains("object"),
                JsonValueKind.Array => types.Contains("array"),
                _ => false,
            };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private List<string> ParameterTypes(string toolName, string parameter)
    {
        if (!_byName.TryGetValue(toolName, out var tool) || tool.Parameters?["properties"]?[parameter] is not JsonObject schema)
        {
            return [];
        }

        return schema["type"] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            JsonArray a => a.Select(x => x?.GetValue<string>() ?? string.Empty).ToList(),
            _ when schema["enum"] is JsonArray e && e.All(x => x?.GetValueKind() == JsonValueKind.String) => ["string"],
            _ => [],
        };
    }
}
