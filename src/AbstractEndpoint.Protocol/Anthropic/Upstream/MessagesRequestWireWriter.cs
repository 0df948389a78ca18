using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.Anthropic.Upstream;

/// <summary>
/// Writes a domain <see cref="ChatRequest"/> as the body of Anthropic's <c>POST /messages</c> for an upstream
/// provider, always streamed. System messages become <c>system</c>; tool results become <c>tool_result</c> blocks of
/// a user turn and an assistant's tool calls <c>tool_use</c> blocks (consecutive turns of one role are merged, as the
/// API wants them alternating); tools carry their parameters as <c>input_schema</c>. <c>max_tokens</c> is required
/// upstream: without one in the request, <see cref="DefaultMaxTokens"/>. Temperature is capped at 1 (Anthropic's
/// range). With a <c>prompt_cache_key</c>, the system prompt and the last tool are marked
/// <c>cache_control: ephemeral</c>, Anthropic's way of caching that prefix.
/// <para>
/// A JSON <c>response_format</c> becomes what Anthropic documents for JSON output with tools: one more tool,
/// <see cref="AnswerToolName"/>, whose <c>input_schema</c> is the schema, forced with <c>tool_choice</c> (or, next to
/// the client's own tools under <c>auto</c>, offered with <c>any</c>); the stream reader turns that tool's input back
/// into the reply's content (<see cref="AnswerTool"/>). Reasoning on becomes <c>thinking: {type: "enabled",
/// budget_tokens}</c> (<see cref="ThinkingBudget"/>), off becomes <c>{type: "disabled"}</c>.
/// </para>
/// </summary>
public static class MessagesRequestWireWriter
{
    /// <summary>The <c>max_tokens</c> sent when the request has none (Anthropic requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>The tool a JSON <c>response_format</c> is answered through (Anthropic has no <c>response_format</c>).</summary>
    public const string AnswerToolName = "json_answer";

    /// <summary>Anthropic's smallest <c>budget_tokens</c>.</summary>
    public const int MinThinkingBudget = 1024;

    private const string AnswerToolDescription =
        "Give your answer by calling this tool: its input is the answer, a JSON value that follows the schema.";

    /// <summary>
    /// The tool whose input is the reply's content, when the request asks for JSON and is not already forcing one of
    /// its own tools (then the reply is that call, and no format applies); null otherwise. The reader is given it.
    /// </summary>
    public static string? AnswerTool(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = request.ResponseFormat.Kind is ResponseFormatKind.JsonSchema or ResponseFormatKind.JsonObject;
        var forcingOwnTool = OffersTools(request) && request.ToolChoice.Kind is ToolChoiceKind.Required or ToolChoiceKind.Function;
        return json && !forcingOwnTool ? AnswerToolName : null;
    }

    /// <summary>
    /// Anthropic's <c>budget_tokens</c> for a reasoning effort: minimal 1024, low 2048, medium (and no level)
    /// 8192, high 16384, xhigh 32768 — each level twice the one below, from Anthropic's minimum.
    /// </summary>
    public static int ThinkingBudget(ReasoningEffort? effort) => effort switch
    {
        ReasoningEffort.Minimal => MinThinkingBudget,
        ReasoningEffort.Low => 2048,
        ReasoningEffort.High => 16384,
        ReasoningEffort.ExtraHigh => 32768,
        _ => 8192,
    };

    public static byte[] Write(ChatRequest request, string model)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, request, model);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, ChatRequest request, string model)
    {
        var cache = request.PromptCacheKey is not null;
        var answerTool = AnswerTool(request);
        var answerSchema = answerTool is null ? null : AnswerSchema(request.ResponseFormat);
        var ownTools = OffersTools(request);
        var forcedTool = answerTool is not null || (ownTools && request.ToolChoice.Kind is ToolChoiceKind.Required or ToolChoiceKind.Function);
        var thinkingBudget = ThinkingBudgetFor(request, forcedTool);
        json.WriteStartObject();
        json.WriteString("model", model);
        // Anthropic's max_tokens counts the thinking too: without the client's own cap, the budget comes on top of the default.
        json.WriteNumber("max_tokens", request.Limits.MaxOutputTokens ?? DefaultMaxTokens + (thinkingBudget ?? 0));

        var system = string.Join("\n\n", request.Messages.Where(m => m.Role == ChatRole.System && !string.IsNullOrEmpty(m.Content)).Select(m => m.Content));
        if (system.Length > 0)
        {
            if (cache)
            {
                json.WriteStartArray("system");
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", system);
                WriteCacheControl(json);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("system", system);
            }
        }

        WriteMessages(json, request.Messages);

        var tools = new List<(string Name, string? Description, JsonNode Schema)>();
        if (ownTools)
        {
            tools.AddRange(request.Tools.Select(tool => (tool.Name, tool.Description,
                (JsonNode)(tool.Parameters ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() }))));
        }

        if (answerSchema is not null)
        {
            tools.Add((AnswerToolName, AnswerToolDescription, answerSchema));
        }

        if (tools.Count > 0)
        {
            json.WriteStartArray("tools");
            for (var i = 0; i < tools.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("name", tools[i].Name);
                if (tools[i].Description is { } description)
                {
                    json.WriteString("description", description);
                }

                json.WritePropertyName("input_schema");
                tools[i].Schema.WriteTo(json);
                if (cache && i == tools.Count - 1)
                {
                    WriteCacheControl(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            var choice = answerTool is null ? request.ToolChoice
                : ownTools ? ToolChoice.Required
                : ToolChoice.Function(AnswerToolName);
            WriteToolChoice(json, choice, request.ParallelToolCalls);
        }

        if (thinkingBudget is { } budget)
        {
            json.WriteStartObject("thinking");
            json.WriteString("type", "enabled");
            json.WriteNumber("budget_tokens", budget);
            json.WriteEndObject();

            // Anthropic refuses a changed temperature or top_k with thinking, and a top_p below 0.95.
            if (request.Sampling.TopP is >= 0.95f and < 1f)
            {
                json.WriteNumber("top_p", request.Sampling.TopP);
            }
        }
        else
        {
            if (request.Reasoning is { Enabled: false })
            {
                json.WriteStartObject("thinking");
                json.WriteString("type", "disabled");
                json.WriteEndObject();
            }

            json.WriteNumber("temperature", Math.Min(request.Sampling.Temperature, 1f));
            if (request.Sampling.TopP != 1f)
            {
                json.WriteNumber("top_p", request.Sampling.TopP);
            }

            if (request.Sampling.TopK > 0)
            {
                json.WriteNumber("top_k", request.Sampling.TopK);
            }
        }

        if (request.Limits.StopSequences.Count > 0)
        {
            json.WriteStartArray("stop_sequences");
            foreach (var stop in request.Limits.StopSequences)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }

        json.WriteBoolean("stream", true);
        json.WriteEndObject();
    }

    private static bool OffersTools(ChatRequest request) => request.Tools.Count > 0 && request.ToolChoice.Kind != ToolChoiceKind.None;

    /// <summary>
    /// The budget to send, or null to leave thinking off: off unless the request turned reasoning on; off with a
    /// forced tool (Anthropic refuses forced tool use with thinking, and the answer tool is how a JSON format is
    /// kept); within the client's <c>max_tokens</c> (which counts the thinking), so a cap of 1024 or less leaves it off.
    /// </summary>
    private static int? ThinkingBudgetFor(ChatRequest request, bool forcedTool)
    {
        if (request.Reasoning is not { Enabled: true } reasoning || forcedTool)
        {
            return null;
        }

        var budget = ThinkingBudget(reasoning.Effort);
        if (request.Limits.MaxOutputTokens is { } max)
        {
            budget = Math.Min(budget, max - 1);
        }

        return budget >= MinThinkingBudget ? budget : null;
    }

    /// <summary>
    /// The answer tool's <c>input_schema</c>: the client's schema (any object for <c>json_object</c> or a schema-less
    /// format). Anthropic takes only object schemas, so a schema whose root is another type is a 400.
    /// </summary>
    private static JsonNode AnswerSchema(ResponseFormat format)
    {
        if (format.Schema is not JsonObject schema)
        {
            return format.Schema is null
                ? new JsonObject { ["type"] = "object" }
                : throw new InvalidRequestException(
                    "Unsupported value for 'response_format': the remote provider's Messages API takes a JSON schema that is an object.",
                    "response_format", "unsupported_parameter");
        }

        if (schema.TryGetPropertyValue("type", out var type))
        {
            return type is JsonValue value && value.TryGetValue<string>(out var name) && name == "object"
                ? schema
                : throw new InvalidRequestException(
                    "Unsupported value for 'response_format': the remote provider's Messages API answers JSON through a tool, whose input must be an object; this schema's root is not one.",
                    "response_format", "unsupported_parameter");
        }

        // A root without a type (properties only) describes an object: say so, as input_schema must.
        var typed = (JsonObject)schema.DeepClone();
        typed.Insert(0, "type", "object");
        return typed;
    }

    private static void WriteMessages(Utf8JsonWriter json, IReadOnlyList<ChatMessage> messages)
    {
        json.WriteStartArray("messages");
        string? openRole = null;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            if (role != openRole)
            {
                if (openRole is not null)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteStartObject();
                json.WriteString("role", role);
                json.WriteStartArray("content");
                openRole = role;
            }

            WriteBlocks(json, message);
        }

        if (openRole is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteBlocks(Utf8JsonWriter json, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_result");
            json.WriteString("tool_use_id", message.ToolCallId ?? "");
            json.WriteString("content", message.Content ?? "");
            json.WriteEndObject();
            return;
        }

        if (!string.IsNullOrEmpty(message.Content))
        {
            json.WriteStartObject();
            json.WriteString("type", "text");
            json.WriteString("text", message.Content);
            json.WriteEndObject();
        }

        foreach (var call in message.ToolCalls)
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_use");
            json.WriteString("id", call.Id);
            json.WriteString("name", call.Name);
            json.WritePropertyName("input");
            WriteInput(json, call.ArgumentsJson);
            json.WriteEndObject();
        }
    }

    /// <summary>A call's arguments as the object <c>input</c> must be; text that is not an object is kept under <c>"arguments"</c>.</summary>
    private static void WriteInput(Utf8JsonWriter json, string argumentsJson)
    {
        try
        {
            if (JsonNode.Parse(argumentsJson) is JsonObject input)
            {
                input.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
            // Not JSON: kept as text below, so nothing the model said is lost.
        }

        json.WriteStartObject();
        if (!string.IsNullOrWhiteSpace(argumentsJson))
        {
            json.WriteString("arguments", argumentsJson);
        }

        json.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter json, ToolChoice choice, bool parallel)
    {
        json.WriteStartObject("tool_choice");
        json.WriteString("type", choice.Kind switch
        {
            ToolChoiceKind.Required => "any",
            ToolChoiceKind.Function => "tool",
            _ => "auto",
        });
        if (choice.Kind == ToolChoiceKind.Function)
        {
            json.WriteString("name", choice.FunctionName);
        }

        if (!parallel)
        {
            json.WriteBoolean("disable_parallel_tool_use", true);
        }

        json.WriteEndObject();
    }

    private static void WriteCacheControl(Utf8JsonWriter json)
    {
        json.WriteStartObject("cache_control");
        json.WriteString("type", "ephemeral");
        json.WriteEndObject();
    }
}
