using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>Reads the <c>tools</c> array (<c>{"type":"function","function":{name, description, parameters}}</c>).</summary>
internal static class ToolDefinitionParser
{
    public static IReadOnlyList<ToolDefinition> ParseAll(JsonElement tools)
    {
        JsonFields.RequireKind(tools, JsonValueKind.Array, "tools", "an array");
        var result = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            result.Add(Parse(tool, $"tools[{index}]"));
            index++;
        }

        return result;
    }

    /// <summary>Tools given one by one (a prompt-cache fragment), each validated like a request's.</summary>
    public static IReadOnlyList<ToolDefinition> ParseEach(IEnumerable<JsonElement> tools, string path) =>
        [.. tools.Select((tool, index) => Parse(tool, $"{path}[{index}]"))];

    private static ToolDefinition Parse(JsonElement tool, string path)
    {
        JsonFields.RequireKind(tool, JsonValueKind.Object, path, "an object");
        var type = tool.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, $"{path}.type") : null;
        if (type != "function")
        {
            throw new InvalidRequestException(
                $"Invalid value for '{path}.type': '{type}'. Supported values are: 'function'.", $"{path}.type", "invalid_value");
        }

        if (!tool.TryGetProperty("function", out var function))
        {
            throw new InvalidRequestException($"Missing required parameter: '{path}.function'.", $"{path}.function", "missing_required_parameter");
        }

        JsonFields.RequireKind(function, JsonValueKind.Object, $"{path}.function", "an object");
        var name = function.TryGetProperty("name", out var nameValue) ? JsonFields.String(nameValue, $"{path}.function.name") : "";
        if (name.Length == 0)
        {
            throw new InvalidRequestException($"Missing required parameter: '{path}.function.name'.", $"{path}.function.name", "missing_required_parameter");
        }

        string? description = null;
        if (function.TryGetProperty("description", out var descriptionValue) && descriptionValue.ValueKind != JsonValueKind.Null)
        {
            description = JsonFields.String(descriptionValue, $"{path}.function.description");
        }

        JsonObject? parameters = null;
        if (function.TryGetProperty("parameters", out var parametersValue) && parametersValue.ValueKind != JsonValueKind.Null)
        {
            JsonFields.RequireKind(parametersValue, JsonValueKind.Object, $"{path}.function.parameters", "a JSON Schema object");
            parameters = JsonRequestBody.Node(parametersValue)!.AsObject();
        }

        return new ToolDefinition(name, description, parameters) { Raw = JsonRequestBody.Node(tool)!.AsObject() };
    }
}
