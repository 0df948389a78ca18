using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>JsonSchema.Net as the independent judge: the text must be JSON and valid for the schema.</summary>
public static class SchemaAssert
{
    public static JsonNode Valid(string schema, string json)
    {
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"not JSON ({ex.Message}): {json}");
        }

        var result = JsonSchema.FromText(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = result.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
            throw new Xunit.Sdk.XunitException($"not valid for the schema ({string.Join("; ", errors)}): {json}");
        }

        return instance!;
    }
}
