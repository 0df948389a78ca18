using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Reads <c>response_format</c>: <c>{"type":"text"}</c>, <c>{"type":"json_object"}</c> or
/// <c>{"type":"json_schema","json_schema":{"name","description","schema","strict"}}</c>. Whether the schema can be
/// turned into a grammar is the engine's call (it answers with a 400 naming <c>response_format.json_schema.schema</c>).
/// </summary>
internal static partial class ResponseFormatParser
{
    public static ResponseFormat Parse(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "response_format", "an object");
        var type = value.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, "response_format.type") : null;
        var allowed = type switch
        {
            "text" or "json_object" => "type",
            "json_schema" => "json_schema",
            _ => throw new InvalidRequestException(
                $"Invalid value for 'response_format.type': '{type}'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                "response_format.type", "invalid_value"),
        };

        foreach (var property in value.EnumerateObject())
        {
            if (property.Name != "type" && property.Name != allowed)
            {
                throw Unknown($"response_format.{property.Name}");
            }
        }

        return type switch
        {
            "text" => ResponseFormat.Text,
            "json_object" => ResponseFormat.JsonObject,
            _ => ParseJsonSchema(value),
        };
    }

    private static ResponseFormat ParseJsonSchema(JsonElement format)
    {
        if (!format.TryGetProperty("json_schema", out var body) || body.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidRequestException(
                "Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
        }

        JsonFields.RequireKind(body, JsonValueKind.Object, "response_format.json_schema", "an object");
        string? name = null;
        JsonNode? schema = null;
        var strict = false;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            var param = $"response_format.json_schema.{property.Name}";
            if (value.ValueKind == JsonValueKind.Null && property.Name is "description" or "schema" or "strict")
            {
                continue;
            }

            switch (property.Name)
            {
                case "name":
                    name = JsonFields.String(value, param);
                    if (!SchemaName().IsMatch(name))
                    {
                        throw new InvalidRequestException(
                            $"Invalid 'response_format.json_schema.name': '{name}'. Use 1 to 64 letters, digits, underscores or dashes.",
                            param, "invalid_value");
                    }

                    break;
                case "description":
                    JsonFields.String(value, param); // Guidance for the model in OpenAI's API; the grammar is what binds here.
                    break;
                case "schema":
                    if (value.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
                    {
                        throw JsonFields.TypeError(param, "a JSON Schema object", value);
                    }

                    schema = JsonRequestBody.Node(value);
                    break;
                case "strict":
                    strict = JsonFields.Boolean(value, param);
                    break;
                default:
                    throw Unknown(param);
            }
        }

        if (name is null)
        {
            throw new InvalidRequestException(
                "Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
        }

        return ResponseFormat.JsonSchema(name, schema, strict);
    }

    private static InvalidRequestException Unknown(string param) =>
        new($"Unrecognized request argument supplied: {param}", param, "unknown_parameter");

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex SchemaName();
}
