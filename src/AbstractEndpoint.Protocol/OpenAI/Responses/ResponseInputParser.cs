using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>
/// Reads the Responses API's <c>input</c>: a string (one user message) or a list of items. Messages (with
/// <c>input_text</c>/<c>output_text</c> parts or a string) become turns; <c>function_call</c> items become the
/// assistant's calls, <c>function_call_output</c> items tool results with their <c>call_id</c>, and <c>reasoning</c>
/// items the reasoning of the assistant turn they precede. Consecutive assistant items (reasoning, a message, calls)
/// are one assistant turn, as a chat template expects them.
/// </summary>
internal static class ResponseInputParser
{
    public static (List<ChatMessage> Messages, List<JsonObject> Items) Parse(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            var text = input.GetString()!;
            var item = MessageItem("user", [new JsonObject { ["type"] = "input_text", ["text"] = text }]);
            return ([new ChatMessage(ChatRole.User, text)], [item]);
        }

        JsonFields.RequireKind(input, JsonValueKind.Array, "input", "a string or an array of input items");
        var messages = new List<ChatMessage>();
        var items = new List<JsonObject>();
        var turn = new AssistantTurn();
        var index = 0;
        foreach (var element in input.EnumerateArray())
        {
            var path = $"input[{index++}]";
            JsonFields.RequireKind(element, JsonValueKind.Object, path, "an object");
            var type = OptionalString(element, "type", path) ?? "message";
            var item = JsonRequestBody.Node(element)!.AsObject();
            switch (type)
            {
                case "message":
                    var role = RequiredString(element, "role", path);
                    var content = element.TryGetProperty("content", out var contentValue) ? contentValue : throw JsonFields.Missing($"{path}.content");
                    var messageText = ParseContent(content, $"{path}.content", role);
                    if (role == "assistant")
                    {
                        if (turn.HasText || turn.Calls.Count > 0)
                        {
                            turn.FlushTo(messages);
                        }

                        turn.Text.Append(messageText);
                        turn.HasText = true;
                    }
                    else
                    {
                        turn.FlushTo(messages);
                        messages.Add(new ChatMessage(RoleOf(role, $"{path}.role"), messageText));
                    }

                    item["type"] = "message";
                    item["id"] ??= ResponseIds.NewMessageId();
                    item["status"] ??= "completed";
                    break;
                case "function_call":
                    var callId = RequiredString(element, "call_id", path);
                    var name = RequiredString(element, "name", path);
                    var arguments = RequiredString(element, "arguments", path);
                    turn.Calls.Add(new ToolCall(callId, name, arguments));
                    item["id"] ??= ResponseIds.NewFunctionCallId();
                    item["status"] ??= "completed";
                    break;
                case "function_call_output":
                    turn.FlushTo(messages);
                    var outputId = RequiredString(element, "call_id", path);
                    var output = element.TryGetProperty("output", out var outputValue) ? outputValue : throw JsonFields.Missing($"{path}.output");
                    messages.Add(new ChatMessage(ChatRole.Tool, ParseOutput(output, $"{path}.output")) { ToolCallId = outputId });
                    item["id"] ??= "fco_" + outputId;
                    item["status"] ??= "completed";
                    break;
                case "reasoning":
                    if (turn.HasText || turn.Calls.Count > 0)
                    {
                        turn.FlushTo(messages);
                    }

                    turn.Reasoning.Append(ParseReasoning(element, path));
                    item["id"] ??= ResponseIds.NewReasoningId();
                    break;
                case "item_reference":
                    throw new InvalidRequestException(
                        $"{path}: item references are not supported by this server; send the item itself, or continue with 'previous_response_id'.",
                        $"{path}.type", "unsupported_parameter");
                default:
                    throw new InvalidRequestException(
                        $"{path}: input items of type '{type}' are not supported by this server (supported: message, function_call, function_call_output, reasoning).",
                        $"{path}.type", "invalid_value");
            }

            items.Add(item);
        }

        turn.FlushTo(messages);
        return (messages, items);
    }

    /// <summary>The item a string input stands for, as <c>input_items</c> lists it.</summary>
    private static JsonObject MessageItem(string role, JsonArray content) => new()
    {
        ["type"] = "message",
        ["id"] = ResponseIds.NewMessageId(),
        ["status"] = "completed",
        ["role"] = role,
        ["content"] = content,
    };

    private static ChatRole RoleOf(string role, string path) => role switch
    {
        "user" => ChatRole.User,
        "system" or "developer" => ChatRole.System,
        _ => throw new InvalidRequestException(
            $"Invalid value for '{path}': '{role}'. Supported values are: 'user', 'assistant', 'system' and 'developer'.", path, "invalid_value"),
    };

    /// <summary>A message's content: a string, or text parts joined (images and files are not read by this server).</summary>
    private static string ParseContent(JsonElement content, string path, string role)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        JsonFields.RequireKind(content, JsonValueKind.Array, path, "a string or an array of content parts");
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            JsonFields.RequireKind(part, JsonValueKind.Object, partPath, "an object");
            var type = RequiredString(part, "type", partPath);
            switch (type)
            {
                case "input_text" or "output_text" or "text":
                    text.Append(RequiredString(part, "text", partPath));
                    break;
                case "refusal" when role == "assistant":
                    text.Append(RequiredString(part, "refusal", partPath));
                    break;
                default:
                    throw new InvalidRequestException(
                        $"{partPath}: content parts of type '{type}' are not supported by this server (this model reads text).",
                        $"{partPath}.type", "invalid_value");
            }
        }

        return text.ToString();
    }

    /// <summary>A tool's output: a string, or text parts joined.</summary>
    private static string ParseOutput(JsonElement output, string path) =>
        output.ValueKind == JsonValueKind.String ? output.GetString()! : ParseContent(output, path, "tool");

    /// <summary>
    /// A reasoning item's text: its <c>content</c> (<c>reasoning_text</c> parts) when given, else its summary, which
    /// is what this server returns. <c>encrypted_content</c> is another provider's secret and is skipped.
    /// </summary>
    private static string ParseReasoning(JsonElement item, string path)
    {
        var text = new StringBuilder();
        foreach (var field in (string[])["content", "summary"])
        {
            if (!item.TryGetProperty(field, out var parts) || parts.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            JsonFields.RequireKind(parts, JsonValueKind.Array, $"{path}.{field}", "an array");
            var index = 0;
            foreach (var part in parts.EnumerateArray())
            {
                var partPath = $"{path}.{field}[{index++}]";
                JsonFields.RequireKind(part, JsonValueKind.Object, partPath, "an object");
                text.Append(RequiredString(part, "text", partPath));
            }

            if (text.Length > 0)
            {
                break;
            }
        }

        return text.ToString();
    }

    private static string RequiredString(JsonElement element, string field, string path) =>
        element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonFields.String(value, $"{path}.{field}")
            : throw JsonFields.Missing($"{path}.{field}");

    private static string? OptionalString(JsonElement element, string field, string path) =>
        element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonFields.String(value, $"{path}.{field}")
            : null;

    /// <summary>The assistant items read so far that make one assistant turn.</summary>
    private sealed class AssistantTurn
    {
        public StringBuilder Text { get; } = new();

        public StringBuilder Reasoning { get; } = new();

        public List<ToolCall> Calls { get; } = [];

        public bool HasText { get; set; }

        public void FlushTo(List<ChatMessage> messages)
        {
            if (!HasText && Calls.Count == 0 && Reasoning.Length == 0)
            {
                return;
            }

            messages.Add(new ChatMessage(ChatRole.Assistant, HasText || Calls.Count == 0 ? Text.ToString() : null)
            {
                ToolCalls = [.. Calls],
                ReasoningContent = Reasoning.Length > 0 ? Reasoning.ToString() : null,
            });
            Text.Clear();
            Reasoning.Clear();
            Calls.Clear();
            HasText = false;
        }
    }
}
