using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>Keyword classification and small JSON helpers shared by the converter and the allOf merger.</summary>
internal static class SchemaKeywords
{
    /// <summary>Keywords with no effect on which instances are valid.</summary>
    public static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "title", "description", "default", "examples", "example", "$schema", "$id", "$comment", "$anchor",
        "$defs", "definitions", "readOnly", "writeOnly", "deprecated", "contentEncoding", "contentMediaType",
        "contentSchema", "$vocabulary", "discriminator", "externalDocs", "xml", "strict",
    };

    /// <summary>Validation keywords the grammar cannot express; a schema using them is rejected, not silently loosened.</summary>
    public static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "not", "if", "then", "else", "contains", "minContains", "maxContains", "patternProperties", "propertyNames",
        "dependentSchemas", "dependentRequired", "dependencies", "unevaluatedItems", "multipleOf",
        "$dynamicRef", "$recursiveRef",
    };

    /// <summary>Minimal escaping, so literals in the grammar are what a model naturally writes (no \u003C for '&lt;').</summary>
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    public static string ToJsonString(string text) => JsonSerializer.Serialize(text, Compact);

    public static bool HasValidation(JsonObject schema) =>
        schema.Any(kv => !Annotations.Contains(kv.Key) && !kv.Key.StartsWith("x-", StringComparison.Ordinal));

    /// <summary>Reads a numeric keyword as decimal (clamped far outside the grammar's range when huge).</summary>
    public static decimal? Number(JsonObject schema, string key, string path)
    {
        if (!schema.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue v && AsDecimal(v) is { } d)
        {
            return d;
        }

        throw new SchemaConversionException("'" + key + "' must be a number", path + "/" + key);
    }

    /// <summary>
    /// A JSON number as decimal, whatever CLR type backs the node (parsed documents hold JsonElements, code-built
    /// nodes hold long/double/...): its JSON text is the common ground. Huge values clamp far outside any grammar range.
    /// </summary>
    public static decimal? AsDecimal(JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return null;
        }

        var text = value.ToJsonString();
        if (decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) > 0 ? 1e20m : -1e20m;
    }

    /// <summary>Reads a non-negative integer keyword (minLength, maxItems, ...).</summary>
    public static int? Count(JsonObject schema, string key, string path)
    {
        if (Number(schema, key, path) is not { } d)
        {
            return null;
        }

        if (d < 0 || d != Math.Floor(d))
        {
            throw new SchemaConversionException("'" + key + "' must be a non-negative integer", path + "/" + key);
        }

        return d > int.MaxValue ? int.MaxValue : (int)d;
    }

    public static string? String(JsonObject schema, string key, string path)
    {
        if (!schema.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SchemaConversionException("'" + key + "' must be a string", path + "/" + key);
    }

    public static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
