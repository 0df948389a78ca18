using System.Text.Json.Nodes;

namespace AbstractEndpoint.Core.Chat;

/// <summary>OpenAI's <c>response_format</c>: what shape the reply's content must have.</summary>
public sealed record ResponseFormat
{
    private ResponseFormat(ResponseFormatKind kind, string? name, JsonNode? schema, bool strict)
    {
        Kind = kind;
        Name = name;
        Schema = schema;
        Strict = strict;
    }

    public static ResponseFormat Text { get; } = new(ResponseFormatKind.Text, null, null, strict: false);

    public static ResponseFormat JsonObject { get; } = new(ResponseFormatKind.JsonObject, null, null, strict: false);

    public ResponseFormatKind Kind { get; }

    /// <summary>The schema's name (<c>json_schema.name</c>).</summary>
    public string? Name { get; }

    /// <summary>The JSON Schema the reply must satisfy; null means any JSON object.</summary>
    public JsonNode? Schema { get; }

    /// <summary>
    /// <c>json_schema.strict</c>. Replies are constrained by a grammar either way, so this only records what the
    /// client asked for.
    /// </summary>
    public bool Strict { get; }

    public static ResponseFormat JsonSchema(string name, JsonNode? schema, bool strict)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ResponseFormat(ResponseFormatKind.JsonSchema, name, schema, strict);
    }
}
