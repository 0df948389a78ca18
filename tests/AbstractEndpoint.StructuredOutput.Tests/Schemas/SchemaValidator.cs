using System.Text.Json.Nodes;
using Json.Schema;

namespace AbstractEndpoint.StructuredOutput.Tests.Schemas;

/// <summary>JsonSchema.Net as the independent judge of validity (formats asserted, not just annotated).</summary>
internal static class SchemaValidator
{
    /// <summary>
    /// True when some object repeats a key. The grammar cannot forbid two additional properties with the same
    /// name (context-free grammars cannot compare keys), so sampled instances like that are skipped.
    /// </summary>
    public static bool HasDuplicateKeys(string json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        var stack = new Stack<HashSet<string>>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case System.Text.Json.JsonTokenType.StartObject:
                    stack.Push([]);
                    break;
                case System.Text.Json.JsonTokenType.EndObject:
                    stack.Pop();
                    break;
                case System.Text.Json.JsonTokenType.PropertyName:
                    if (!stack.Peek().Add(reader.GetString()!))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    public static bool IsValid(JsonNode? schema, string instance, out string detail)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(instance);
        }
        catch (System.Text.Json.JsonException ex)
        {
            detail = "not JSON: " + ex.Message;
            return false;
        }

        var compiled = JsonSchema.FromText(schema?.ToJsonString() ?? "true");
        var result = compiled.Evaluate(node, new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.List });
        detail = string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value)));
        return result.IsValid;
    }
}
