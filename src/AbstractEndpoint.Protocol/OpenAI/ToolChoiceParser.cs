using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>Reads <c>tool_choice</c>: <c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name":…}}</c>.</summary>
internal static class ToolChoiceParser
{
    private const string Param = "tool_choice";

    public static ToolChoice Parse(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw new InvalidRequestException(
                    $"Invalid value for 'tool_choice': '{other}'. Supported values are: 'none', 'auto' and 'required'.",
                    Param, "invalid_value"),
            };
        }

        JsonFields.RequireKind(value, JsonValueKind.Object, Param, "a string or an object");
        // The type decides which members are valid, so it is read first: other shapes (allowed_tools, custom) are
        // refused for their type, not for their members.
        var type = value.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, "tool_choice.type") : null;
        switch (type)
        {
            case "function":
                break;
            case "allowed_tools" or "custom":
                throw new InvalidRequestException(
                    $"Unsupported value for 'tool_choice.type': '{type}' is not supported; use 'function'.", "tool_choice.type", "unsupported_parameter");
            case null:
                throw new InvalidRequestException("Missing required parameter: 'tool_choice.type'.", "tool_choice.type", "missing_required_parameter");
            default:
                throw new InvalidRequestException(
                    $"Invalid value for 'tool_choice.type': '{type}'. Supported values are: 'function'.", "tool_choice.type", "invalid_value");
        }

        JsonElement? function = null;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type":
                    break;
                case "function":
                    JsonFields.RequireKind(property.Value, JsonValueKind.Object, "tool_choice.function", "an object");
                    function = property.Value;
                    break;
                default:
                    throw Unknown($"tool_choice.{property.Name}");
            }
        }

        if (function is not { } body)
        {
            throw new InvalidRequestException("Missing required parameter: 'tool_choice.function'.", "tool_choice.function", "missing_required_parameter");
        }

        string? name = null;
        foreach (var property in body.EnumerateObject())
        {
            name = property.Name == "name"
                ? JsonFields.String(property.Value, "tool_choice.function.name")
                : throw Unknown($"tool_choice.function.{property.Name}");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidRequestException(
                "Missing required parameter: 'tool_choice.function.name'.", "tool_choice.function.name", "missing_required_parameter");
        }

        return ToolChoice.Function(name);
    }

    /// <summary>
    /// Settles the choice against the request's tools (which may come before or after it in the body): no choice
    /// means auto; a forced call needs tools, and a named function must be one of them.
    /// </summary>
    public static ToolChoice CheckAgainst(ToolChoice? choice, IReadOnlyList<ToolDefinition> tools)
    {
        choice ??= ToolChoice.Auto;
        if (choice.Kind is (ToolChoiceKind.Required or ToolChoiceKind.Function) && tools.Count == 0)
        {
            throw new InvalidRequestException(
                "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", Param, "invalid_value");
        }

        if (choice.Kind == ToolChoiceKind.Function && !tools.Any(t => t.Name == choice.FunctionName))
        {
            throw new InvalidRequestException(
                $"Invalid value for 'tool_choice': no function named '{choice.FunctionName}' is in 'tools' " +
                $"({string.Join(", ", tools.Select(t => $"'{t.Name}'"))}).",
                "tool_choice.function.name", "invalid_value");
        }

        return choice;
    }

    private static InvalidRequestException Unknown(string param) =>
        new($"Unrecognized request argument supplied: {param}", param, "unknown_parameter");
}
