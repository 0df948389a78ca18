using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>
/// Validates an Anthropic <c>/v1/messages</c> (or <c>/v1/messages/count_tokens</c>) body and maps it to the same
/// <see cref="ChatRequest"/> the chat route builds: content blocks become messages, <c>tool_result</c> blocks become
/// tool messages with their call id, <c>thinking</c> blocks become the turn's reasoning. The lenient/strict rule is
/// the chat parser's: unknown fields and server tools are ignored (reported in
/// <see cref="ParsedAnthropicMessages.Ignored"/>) by default and refused under <c>--strict-requests</c>.
/// </summary>
public static class AnthropicMessagesRequestParser
{
    private static readonly HashSet<string> KnownFields =
    [
        "model", "messages", "system", "max_tokens", "stop_sequences", "stream", "temperature", "top_p", "top_k",
        "tools", "tool_choice", "thinking", "metadata", "service_tier",
        // Not Anthropic's: the named prompt cache the request continues, as on every generation route here.
        "prompt_cache_key",
    ];

    /// <param name="body">The request body.</param>
    /// <param name="strict">Refuse unknown fields and unavailable features (<c>--strict-requests</c>).</param>
    /// <param name="countTokens">The <c>count_tokens</c> body: no <c>max_tokens</c> and no <c>stream</c>.</param>
    public static ParsedAnthropicMessages Parse(ReadOnlyMemory<byte> body, bool strict = false, bool countTokens = false)
    {
        using var document = JsonRequestBody.Parse(body);
        return Parse(document.RootElement, strict, countTokens);
    }

    public static ParsedAnthropicMessages Parse(JsonElement root, bool strict = false, bool countTokens = false)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");
        string? model = null;
        List<ChatMessage>? messages = null;
        string? system = null;
        int? maxTokens = null;
        IReadOnlyList<string> stop = [];
        var stream = false;
        var sampling = new SamplingOptions { Temperature = 1.0f }; // Anthropic's default temperature.
        IReadOnlyList<ToolDefinition> tools = [];
        ToolChoice? toolChoice = null;
        var parallelToolCalls = true;
        ReasoningControl? reasoning = null;
        int? reasoningBudget = null;
        string? promptCacheKey = null;
        var ignored = new List<IgnoredField>();

        void Ignore(string field, string reason)
        {
            if (strict)
            {
                throw new InvalidRequestException($"{field}: {reason}.", field, "unsupported_parameter");
            }

            ignored.Add(new IgnoredField(field, reason));
        }

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (!KnownFields.Contains(name))
                {
                    Ignore(name, "unknown field");
                }

                continue;
            }

            switch (name)
            {
                case "model":
                    model = JsonFields.String(value, name);
                    break;
                case "messages":
                    messages = ParseMessages(value);
                    break;
                case "system":
                    system = ParseText(value, name);
                    break;
                case "max_tokens":
                    maxTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "stop_sequences":
                    stop = ParseStopSequences(value);
                    break;
                case "stream":
                    stream = JsonFields.Boolean(value, name);
                    break;
                case "temperature":
                    sampling = sampling with { Temperature = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "top_p":
                    sampling = sampling with { TopP = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "top_k":
                    sampling = sampling with { TopK = (int)JsonFields.Integer(value, name, 0, int.MaxValue) };
                    break;
                case "tools":
                    tools = ParseTools(value, Ignore);
                    break;
                case "tool_choice":
                    (toolChoice, parallelToolCalls) = ParseToolChoice(value);
                    break;
                case "thinking":
                    (reasoning, reasoningBudget) = ParseThinking(value);
                    break;
                case "metadata":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object"); // user_id: abuse tracking only.
                    break;
                case "service_tier":
                    JsonFields.String(value, name); // One tier here.
                    break;
                case "prompt_cache_key":
                    var key = JsonFields.String(value, name).Trim();
                    promptCacheKey = key.Length > 0 ? key : null;
                    break;
                default:
                    Ignore(name, "unknown field");
                    break;
            }
        }

        if (model is null)
        {
            throw JsonFields.Missing("model");
        }

        if (messages is null)
        {
            throw JsonFields.Missing("messages");
        }

        if (maxTokens is null && !countTokens)
        {
            throw JsonFields.Missing("max_tokens");
        }

        if (system is { Length: > 0 })
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, system));
        }

        toolChoice = ToolChoiceParser.CheckAgainst(toolChoice, tools);
        var request = new ChatRequest
        {
            Messages = messages,
            Tools = toolChoice.Kind == ToolChoiceKind.None ? [] : tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = parallelToolCalls,
            Sampling = sampling,
            Limits = new GenerationLimits { MaxOutputTokens = maxTokens, StopSequences = stop, MaxReasoningTokens = reasoningBudget },
            Reasoning = reasoning,
            PromptCacheKey = promptCacheKey,
        };
        return new ParsedAnthropicMessages(request, model, stream) { Ignored = ignored };
    }

    private static List<ChatMessage> ParseMessages(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "messages", "an array");
        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var message in value.EnumerateArray())
        {
            var path = $"messages[{index++}]";
            JsonFields.RequireKind(message, JsonValueKind.Object, path, "an object");
            var role = message.TryGetProperty("role", out var roleValue) ? JsonFields.String(roleValue, $"{path}.role") : throw JsonFields.Missing($"{path}.role");
            if (!message.TryGetProperty("content", out var content))
            {
                throw JsonFields.Missing($"{path}.content");
            }

            switch (role)
            {
                case "user":
                    ParseUserTurn(content, $"{path}.content", messages);
                    break;
                case "assistant":
                    messages.Add(ParseAssistantTurn(content, $"{path}.content"));
                    break;
                default:
                    throw new InvalidRequestException(
                        $"{path}.role: Input should be 'user' or 'assistant'", $"{path}.role", "invalid_value");
            }
        }

        if (messages.Count == 0)
        {
            throw new InvalidRequestException("messages: at least one message is required", "messages", "invalid_value");
        }

        return messages;
    }

    /// <summary>A user turn: its tool results become tool messages (in order), its text one user message after them.</summary>
    private static void ParseUserTurn(JsonElement content, string path, List<ChatMessage> messages)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessage(ChatRole.User, content.GetString()));
            return;
        }

        JsonFields.RequireKind(content, JsonValueKind.Array, path, "a string or an array of content blocks");
        var text = new StringBuilder();
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            switch (BlockType(block, blockPath))
            {
                case "text":
                    text.Append(BlockString(block, "text", blockPath));
                    break;
                case "tool_result":
                    var id = BlockString(block, "tool_use_id", blockPath);
                    var result = block.TryGetProperty("content", out var resultContent) && resultContent.ValueKind != JsonValueKind.Null
                        ? ParseText(resultContent, $"{blockPath}.content")
                        : "";
                    var isError = block.TryGetProperty("is_error", out var errorValue) && errorValue.ValueKind != JsonValueKind.Null
                        && JsonFields.Boolean(errorValue, $"{blockPath}.is_error");

                    // Chat templates have no error flag on a tool message: the model reads it from the text.
                    messages.Add(new ChatMessage(ChatRole.Tool, isError ? "Error: " + result : result) { ToolCallId = id });
                    break;
                case var other:
                    throw UnsupportedBlock(other, blockPath);
            }
        }

        if (text.Length > 0)
        {
            messages.Add(new ChatMessage(ChatRole.User, text.ToString()));
        }
    }

    private static ChatMessage ParseAssistantTurn(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return new ChatMessage(ChatRole.Assistant, content.GetString());
        }

        JsonFields.RequireKind(content, JsonValueKind.Array, path, "a string or an array of content blocks");
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<ToolCall>();
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            switch (BlockType(block, blockPath))
            {
                case "text":
                    text.Append(BlockString(block, "text", blockPath));
                    break;
                case "thinking":
                    reasoning.Append(BlockString(block, "thinking", blockPath));
                    break;
                case "redacted_thinking":
                    break; // Encrypted by another provider: nothing a local model can read.
                case "tool_use":
                    var input = block.TryGetProperty("input", out var inputValue) ? inputValue : default;
                    if (input.ValueKind != JsonValueKind.Object)
                    {
                        throw JsonFields.TypeError($"{blockPath}.input", "an object", input);
                    }

                    calls.Add(new ToolCall(BlockString(block, "id", blockPath), BlockString(block, "name", blockPath), input.GetRawText()));
                    break;
                case var other:
                    throw UnsupportedBlock(other, blockPath);
            }
        }

        return new ChatMessage(ChatRole.Assistant, text.Length > 0 || calls.Count == 0 ? text.ToString() : null)
        {
            ToolCalls = calls,
            ReasoningContent = reasoning.Length > 0 ? reasoning.ToString() : null,
        };
    }

    /// <summary>A string, or an array of <c>text</c> blocks joined (<c>system</c>, a tool result's content).</summary>
    private static string ParseText(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!;
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, path, "a string or an array of text blocks");
        var text = new StringBuilder();
        var index = 0;
        foreach (var block in value.EnumerateArray())
        {
            var blockPath = $"{path}[{index++}]";
            var type = BlockType(block, blockPath);
            if (type != "text")
            {
                throw UnsupportedBlock(type, blockPath);
            }

            text.Append(BlockString(block, "text", blockPath));
        }

        return text.ToString();
    }

    private static List<ToolDefinition> ParseTools(JsonElement value, Action<string, string> ignore)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "tools", "an array");
        var tools = new List<ToolDefinition>();
        var index = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            JsonFields.RequireKind(tool, JsonValueKind.Object, path, "an object");
            var type = tool.TryGetProperty("type", out var typeValue) && typeValue.ValueKind != JsonValueKind.Null
                ? JsonFields.String(typeValue, $"{path}.type")
                : "custom";
            if (type != "custom")
            {
                // Anthropic's server tools (web_search_…, bash_…, text_editor_…) run at Anthropic; none run here.
                ignore(path, $"server tool '{type}' is not available here");
                continue;
            }

            var name = BlockString(tool, "name", path);
            string? description = null;
            if (tool.TryGetProperty("description", out var descriptionValue) && descriptionValue.ValueKind != JsonValueKind.Null)
            {
                description = JsonFields.String(descriptionValue, $"{path}.description");
            }

            if (!tool.TryGetProperty("input_schema", out var schemaValue))
            {
                throw JsonFields.Missing($"{path}.input_schema");
            }

            JsonFields.RequireKind(schemaValue, JsonValueKind.Object, $"{path}.input_schema", "a JSON Schema object");
            var schema = JsonRequestBody.Node(schemaValue)!.AsObject();

            // Templates read tools in OpenAI's shape, so that is the shape they get.
            var function = new JsonObject { ["name"] = name };
            if (description is not null)
            {
                function["description"] = description;
            }

            function["parameters"] = schema.DeepClone();
            var raw = new JsonObject { ["type"] = "function", ["function"] = function };
            tools.Add(new ToolDefinition(name, description, schema) { Raw = raw });
        }

        return tools;
    }

    private static (ToolChoice Choice, bool Parallel) ParseToolChoice(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "tool_choice", "an object");
        var type = BlockType(value, "tool_choice");
        var parallel = !(value.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind != JsonValueKind.Null
            && JsonFields.Boolean(disable, "tool_choice.disable_parallel_tool_use"));
        var choice = type switch
        {
            "auto" => ToolChoice.Auto,
            "any" => ToolChoice.Required,
            "none" => ToolChoice.None,
            "tool" => ToolChoice.Function(BlockString(value, "name", "tool_choice")),
            _ => throw new InvalidRequestException(
                $"tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", "tool_choice.type", "invalid_value"),
        };
        return (choice, parallel);
    }

    /// <summary>
    /// <c>{"type":"enabled","budget_tokens":N}</c> turns reasoning on and caps it at N tokens (at least 1024, as
    /// Anthropic requires; the engine closes the reasoning block there where the model's format allows),
    /// <c>{"type":"disabled"}</c> off; <c>adaptive</c> is on without a cap.
    /// </summary>
    private static (ReasoningControl Reasoning, int? Budget) ParseThinking(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "thinking", "an object");
        switch (BlockType(value, "thinking"))
        {
            case "enabled":
                if (!value.TryGetProperty("budget_tokens", out var budget))
                {
                    throw JsonFields.Missing("thinking.budget_tokens");
                }

                return (ReasoningControl.On, (int)JsonFields.Integer(budget, "thinking.budget_tokens", 1024, int.MaxValue));
            case "disabled":
                return (ReasoningControl.Off, null);
            case "adaptive":
                return (ReasoningControl.On, null);
            case var other:
                throw new InvalidRequestException(
                    $"thinking.type: Input should be 'enabled' or 'disabled', not '{other}'", "thinking.type", "invalid_value");
        }
    }

    private static List<string> ParseStopSequences(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "stop_sequences", "an array of strings");
        var stops = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (JsonFields.String(item, $"stop_sequences[{index++}]") is { Length: > 0 } stop)
            {
                stops.Add(stop);
            }
        }

        return stops;
    }

    private static string BlockType(JsonElement block, string path)
    {
        JsonFields.RequireKind(block, JsonValueKind.Object, path, "an object");
        return BlockString(block, "type", path);
    }

    private static string BlockString(JsonElement block, string field, string path) =>
        block.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? JsonFields.ReadableString(value, $"{path}.{field}")
            : throw JsonFields.Missing($"{path}.{field}");

    private static InvalidRequestException UnsupportedBlock(string type, string path) =>
        new($"{path}: content blocks of type '{type}' are not supported by this server", $"{path}.type", "invalid_value");
}
