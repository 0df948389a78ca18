using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.StructuredOutput.Tests;

/// <summary>Tools as the protocol layer builds them (the raw client object included), from a name and a schema.</summary>
internal static class TestTools
{
    public static ToolDefinition Define(string name, JsonNode? parameters = null)
    {
        var function = new JsonObject { ["name"] = name };
        if (parameters is not null)
        {
            function["parameters"] = parameters.DeepClone();
        }

        return new ToolDefinition(name, null, (JsonObject?)parameters) { Raw = new JsonObject { ["type"] = "function", ["function"] = function } };
    }
}
