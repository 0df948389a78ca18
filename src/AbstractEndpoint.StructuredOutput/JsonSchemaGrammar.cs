using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Schema;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Converts JSON Schema to llama.cpp GBNF (root rule <c>root</c>). Every string the grammar admits is a JSON value
/// that validates against the schema, except for the documented leniencies: <c>oneOf</c> is treated as
/// <c>anyOf</c>, <c>uniqueItems</c>/<c>minProperties</c>/<c>maxProperties</c> are not enforced, <c>pattern</c>
/// overrides length and format, and allOf merges object parts as a union of their properties. Where the grammar
/// is narrower than the schema it is on purpose: no undeclared properties unless <c>additionalProperties</c> allows
/// them, bounded whitespace, at most 16 integer digits, no exponents on bounded numbers.
/// Unsupported or invalid schemas throw <see cref="SchemaConversionException"/>. Output is deterministic.
/// </summary>
public static class JsonSchemaGrammar
{
    /// <summary>The name of the start rule in every grammar this class returns.</summary>
    public const string RootRule = "root";

    /// <summary>A grammar for any JSON object (OpenAI's <c>response_format: json_object</c>).</summary>
    public static string AnyJsonObject { get; } = BuildAny(objectOnly: true);

    /// <summary>A grammar for any JSON value.</summary>
    public static string AnyJsonValue { get; } = BuildAny(objectOnly: false);

    /// <summary>Converts a schema (an object or a boolean) to GBNF.</summary>
    public static string FromSchema(JsonNode? schema)
    {
        var b = new GbnfBuilder();
        SchemaConverter.AddDocument(b, schema, RootRule);
        return b.Build(RootRule);
    }

    /// <summary>Parses <paramref name="schemaJson"/> and converts it; malformed JSON is a <see cref="SchemaConversionException"/>.</summary>
    public static string FromSchema(string schemaJson)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(schemaJson);
        }
        catch (JsonException ex)
        {
            throw new SchemaConversionException("The schema is not valid JSON: " + ex.Message, ex);
        }

        return FromSchema(node);
    }

    private static string BuildAny(bool objectOnly)
    {
        var b = new GbnfBuilder();
        var root = b.Reserve(RootRule);
        b.Define(root, objectOnly ? JsonPrimitives.Object(b) : JsonPrimitives.Value(b));
        return b.Build(RootRule);
    }
}
