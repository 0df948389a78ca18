using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>Reads OpenAI chat messages (string or text-part content, tool calls, tool results) into domain messages.</summary>
internal static class ChatMessageParser
{
    public static IReadOnlyList<ChatMessage> ParseAll(JsonElement messages)
    {
        JsonFields.RequireKind(messages, JsonValueKind.Array, "messages", "an array");
        var count = messages.GetArrayLength();
        if (count == 0)
        {
            throw new InvalidRequestException(
                "Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array");
        }

        var result = new List<ChatMessage>(count);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            result.Add(Parse(message, $"messages[{index}]"));
            index++;
        }

        return result;
    }

    /// <summary>Messages given one by one (a prompt-cache fragment), each validated like a request's.</summary>
    public static IReadOnlyList<ChatMessage> ParseEach(IEnumerable<JsonElement> messages, string path) =>
        [.. messages.Select((message, index) => Parse(message, $"{path}[{index}]"))];

    private static ChatMessage Parse(JsonElement message, string path)
    {
        JsonFields.RequireKind(message, JsonValueKind.Object, path, "an object");
        if (!message.TryGetProperty("role", out var roleValue))
        {
            throw new InvalidRequestException($"Missing required parameter: '{path}.role'.", $"{path}.role", "missing_required_parameter");
        }

        var role = ParseRole(JsonFields.String(roleValue, $"{path}.role"), $"{path}.role");
        var content = message.TryGetProperty("content", out var contentValue) ? ParseContent(contentValue, $"{path}.content") : null;
        var toolCalls = message.TryGetProperty("tool_calls", out var callsValue) && callsValue.ValueKind != JsonValueKind.Null
            ? ParseToolCalls(callsValue, $"{path}.tool_calls")
            : [];

        if (toolCalls.Count > 0 && role != ChatRole.Assistant)
        {
            throw new InvalidRequestException($"Invalid '{path}.tool_calls': only assistant messages can carry tool calls.", $"{path}.tool_calls");
        }

        if (content is null && (role != ChatRole.Assistant || toolCalls.Count == 0))
        {
            throw new InvalidRequestException($"Missing required parameter: '{path}.content'.", $"{path}.content", "missing_required_parameter");
        }

        string? toolCallId = null;
        if (message.TryGetProperty("tool_call_id", out var idValue) && idValue.ValueKind != JsonValueKind.Null)
        {
            toolCallId = JsonFields.String(idValue, $"{path}.tool_call_id");
        }

        if (role == ChatRole.Tool && toolCallId is null)
        {
            throw new InvalidRequestException(
                $"Missing required parameter: '{path}.tool_call_id' (a tool message answers a call by its id).",
                $"{path}.tool_call_id", "missing_required_parameter");
        }

        return new ChatMessage(role, content)
        {
            ToolCalls = toolCalls,
            ToolCallId = toolCallId,
            Name = OptionalString(message, "name", path),
            ReasoningContent = OptionalString(message, "reasoning_content", path),
        };
    }

    private static ChatRole ParseRole(string role, string param) => role switch
    {
        "system" or "developer" => ChatRole.System,
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        "tool" => ChatRole.Tool,
        _ => throw new InvalidRequestException(
            $"Invalid value for '{param}': '{role}'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.",
            param, "invalid_value"),
    };

    private static string? ParseContent(JsonElement content, string path)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                var index = 0;
                foreach (var part in content.EnumerateArray())
                {
                    text.Append(ParseTextPart(part, $"{path}[{index}]"));
                    index++;
                }

                return text.ToString();
            default:
                throw JsonFields.TypeError(path, "a string or an array of content parts", content);
        }
    }

    private static string ParseTextPart(JsonElement part, string path)
    {
        JsonFields.RequireKind(part, JsonValueKind.Object, path, "a content part object");
        var type = part.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, $"{path}.type") : null;
        switch (type)
        {
            case "text":
                if (!part.TryGetProperty("text", out var textValue))
                {
                    throw new InvalidRequestException($"Missing required parameter: '{path}.text'.", $"{path}.text", "missing_required_parameter");
                }

                return JsonFields.String(textValue, $"{path}.text");
            case "image_url" or "input_image":
                throw new InvalidRequestException("Invalid content part: this model does not accept images.", path, "unsupported_content");
            case "input_audio":
                throw new InvalidRequestException("Invalid content part: this model does not accept audio.", path, "unsupported_content");
            case "file":
                throw new InvalidRequestException("Invalid content part: this model does not accept files.", path, "unsupported_content");
            default:
                throw new InvalidRequestException(
                    $"Invalid value for '{path}.type': '{type}'. Supported values are: 'text'.", $"{path}.type", "invalid_value");
        }
    }

    private static List<ToolCall> ParseToolCalls(JsonElement calls, string path)
    {
        JsonFields.RequireKind(calls, JsonValueKind.Array, path, "an array");
        var result = new List<ToolCall>();
        var index = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callPath = $"{path}[{index}]";
            JsonFields.RequireKind(call, JsonValueKind.Object, callPath, "an object");
            var id = call.TryGetProperty("id", out var idValue) ? JsonFields.String(idValue, $"{callPath}.id")
                : "call_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
            if (!call.TryGetProperty("function", out var function))
            {
                throw new InvalidRequestException($"Missing required parameter: '{callPath}.function'.", $"{callPath}.function", "missing_required_parameter");
            }

            JsonFields.RequireKind(function, JsonValueKind.Object, $"{callPath}.function", "an object");
            var name = function.TryGetProperty("name", out var nameValue) ? JsonFields.String(nameValue, $"{callPath}.function.name") : null;
            if (string.IsNullOrEmpty(name))
            {
                throw new InvalidRequestException($"Missing required parameter: '{callPath}.function.name'.", $"{callPath}.function.name", "missing_required_parameter");
            }

            var arguments = "{}";
            if (function.TryGetProperty("arguments", out var argumentsValue))
            {
                // OpenAI sends arguments as a JSON text; some clients send the object itself. Accept both.
                arguments = argumentsValue.ValueKind == JsonValueKind.String ? argumentsValue.GetString()! : argumentsValue.GetRawText();
            }

            result.Add(new ToolCall(id, name, arguments));
            index++;
        }

        return result;
    }

    private static string? OptionalString(JsonElement message, string property, string path) =>
        message.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonFields.String(value, $"{path}.{property}")
            : null;
}
