using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Validates a <c>/v1/chat/completions</c> body and maps it to a <see cref="ChatRequest"/>. A known field is honoured,
/// or refused with a 400 that names it when its type or value is wrong. By default (lenient, as OpenAI's own
/// clients, llama-server, vLLM and the Python original expect) an unknown field, or a valid value of a feature this
/// server does not have (<c>store: true</c>, audio <c>modalities</c>, another <c>service_tier</c>), is accepted
/// without effect and reported in <see cref="ParsedChatCompletion.Ignored"/>; strict mode refuses them with a 400,
/// as the server did before. See docs/api.md for the field-by-field decisions.
/// </summary>
public static class ChatCompletionRequestParser
{
    /// <summary>OpenAI's limit for <c>top_logprobs</c>.</summary>
    private const int MaxTopLogprobs = 20;

    private static readonly HashSet<string> KnownFields =
    [
        .. SamplingFieldReader.Fields,
        "model", "messages", "max_completion_tokens", "stream", "stream_options",
        "tools", "tool_choice", "parallel_tool_calls", "prompt_cache_key", "prompt_cache_binding", "prompt_cache_retention", "logprobs", "top_logprobs",
        "response_format", "chat_template_kwargs", "store", "metadata", "modalities", "service_tier", "functions", "function_call",
        // Reasoning controls: OpenAI's and AbstractCore's.
        "reasoning_effort", "thinking",
    ];

    /// <summary><c>service_tier</c> values OpenAI documents; this server has one tier, so all of them mean "default".</summary>
    private static readonly HashSet<string> ServiceTiers = ["auto", "default", "flex", "scale", "priority"];

    /// <param name="body">The request body.</param>
    /// <param name="requireModel">False for routes that need no model name (<c>/apply-template</c>).</param>
    /// <param name="strict">Refuse unknown fields and unavailable features with a 400 (<c>--strict-requests</c>).</param>
    public static ParsedChatCompletion Parse(ReadOnlyMemory<byte> body, bool requireModel = true, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(body);
        return Parse(document.RootElement, requireModel, strict);
    }

    public static ParsedChatCompletion Parse(JsonElement root, bool requireModel = true, bool strict = false)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");

        string? model = null;
        IReadOnlyList<ChatMessage>? messages = null;
        var shared = new SamplingFieldReader();
        int? maxCompletionTokens = null;
        var stream = false;
        JsonElement? streamOptions = null;
        IReadOnlyList<ToolDefinition> tools = [];
        ToolChoice? toolChoice = null;
        var parallelToolCalls = true;
        var responseFormat = ResponseFormat.Text;
        string? promptCacheKey = null;
        PromptCacheBinding? promptCacheBinding = null;
        string? promptCacheRetention = null;
        var variables = new Dictionary<string, JsonNode?>();
        bool? logprobs = null;
        int? topLogprobs = null;
        ReasoningControl? reasoning = null;
        var ignored = new List<IgnoredField>();

        // Lenient: accept and report; strict: the 400 the server always gave.
        void Ignore(string field, string reason, InvalidRequestException strictError)
        {
            if (strict)
            {
                throw strictError;
            }

            ignored.Add(new IgnoredField(field, reason));
        }

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null)
            {
                // null means "not given", as in OpenAI's API; an unknown name is still reported (strict: refused).
                if (!KnownFields.Contains(name))
                {
                    Ignore(name, "unknown field", UnknownField(name));
                }

                continue;
            }

            if (shared.TryRead(name, value))
            {
                continue;
            }

            switch (name)
            {
                case "model":
                    model = JsonFields.String(value, name);
                    break;
                case "messages":
                    messages = ChatMessageParser.ParseAll(value);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "stream":
                    stream = JsonFields.Boolean(value, name);
                    break;
                case "stream_options":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object");
                    streamOptions = value;
                    break;
                case "tools":
                    tools = ToolDefinitionParser.ParseAll(value);
                    break;
                case "tool_choice":
                    toolChoice = ToolChoiceParser.Parse(value);
                    break;
                case "parallel_tool_calls":
                    parallelToolCalls = JsonFields.Boolean(value, name);
                    break;
                case "prompt_cache_key":
                    var key = JsonFields.String(value, name).Trim();
                    promptCacheKey = key.Length > 0 ? key : null;
                    break;
                case "prompt_cache_binding":
                    promptCacheBinding = ParsePromptCacheBinding(value);
                    break;
                case "prompt_cache_retention":
                    var retention = JsonFields.String(value, name).Trim();
                    promptCacheRetention = retention.Length > 0 ? retention : null;
                    break;
                case "logprobs":
                    logprobs = JsonFields.Boolean(value, name);
                    break;
                case "top_logprobs":
                    topLogprobs = (int)JsonFields.Integer(value, name, 0, MaxTopLogprobs);
                    break;
                case "response_format":
                    responseFormat = ResponseFormatParser.Parse(value);
                    break;
                case "chat_template_kwargs":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object");
                    foreach (var kv in value.EnumerateObject())
                    {
                        variables[kv.Name] = JsonRequestBody.Node(kv.Value);
                    }

                    break;
                case "store":
                    if (JsonFields.Boolean(value, name))
                    {
                        Ignore(name, "completions are not stored here", Unsupported(name, "this server does not store completions"));
                    }

                    break;
                case "metadata":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object"); // Labels for stored completions; none are stored.
                    break;
                case "modalities":
                    if (!TextOnly(value))
                    {
                        Ignore(name, "this model only produces text", Unsupported("modalities", "this model only produces text"));
                    }

                    break;
                case "service_tier":
                    var tier = JsonFields.String(value, name);
                    if (tier is not ("auto" or "default"))
                    {
                        // Not only OpenAI's documented tiers: the list grows, and a billing hint never changes a reply.
                        Ignore(name, ServiceTiers.Contains(tier) ? $"'{tier}': this server has one tier" : $"'{tier}' is not a tier this server knows; it has one",
                            Unsupported(name, $"'{tier}' is not available; this server has one tier"));
                    }

                    break;
                case "functions" or "function_call":
                    throw Unsupported(name, "the deprecated functions API is not supported; use 'tools'");
                case "reasoning_effort":
                    reasoning = ParseReasoningEffort(value);
                    break;
                case "thinking":
                    reasoning = ParseThinking(value);
                    break;
                default:
                    Ignore(name, "unknown field", UnknownField(name));
                    break;
            }
        }

        if (messages is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        if (model is null && requireModel)
        {
            throw new InvalidRequestException("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }

        var includeUsage = SamplingFieldReader.IncludeUsage(streamOptions, stream);
        if (topLogprobs is not null && logprobs != true)
        {
            throw new InvalidRequestException(
                "Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is given.", "top_logprobs", "invalid_value");
        }

        var sampling = shared.Sampling;
        if (logprobs == true || shared.NProbs is not null)
        {
            // n_probs is llama-server's name for top_logprobs; asking for it turns log probabilities on.
            sampling = sampling with { TopLogprobs = topLogprobs ?? shared.NProbs ?? 0 };
        }

        toolChoice = ToolChoiceParser.CheckAgainst(toolChoice, tools);
        var request = new ChatRequest
        {
            Messages = messages,
            // tool_choice "none" keeps the tools out of the prompt: the model cannot call what it was not shown.
            Tools = toolChoice.Kind == ToolChoiceKind.None ? [] : tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = parallelToolCalls,
            ResponseFormat = responseFormat,
            Sampling = sampling,
            Limits = shared.Limits(maxCompletionTokens),
            Grammar = shared.Grammar,
            ReuseCachedPrompt = shared.CachePrompt,
            TemplateVariables = variables,
            PromptCacheKey = promptCacheKey,
            PromptCacheBinding = promptCacheBinding,
            PromptCacheRetention = promptCacheRetention,
            Choices = shared.Choices,
            Reasoning = reasoning,
        };
        return new ParsedChatCompletion(request, model ?? "", stream, includeUsage) { Ignored = ignored };
    }

    /// <summary>
    /// AbstractCore's <c>prompt_cache_binding</c>: a string is a <c>binding_id</c> (trimmed); an object keeps its
    /// non-null members as text (strings trimmed, other values as Python's <c>str()</c>), for the binding check.
    /// </summary>
    private static PromptCacheBinding ParsePromptCacheBinding(JsonElement value)
    {
        const string name = "prompt_cache_binding";
        if (value.ValueKind == JsonValueKind.String)
        {
            return new PromptCacheBinding([new(PromptCacheBinding.BindingIdField, JsonFields.String(value, name).Trim())]);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.TypeError(name, "an object or a string", value);
        }

        var members = PythonDict.Members(value);
        var fields = members
            .Where(m => m.Value.ValueKind != JsonValueKind.Null)
            .Select(m => new KeyValuePair<string, string>(
                m.Key, m.Value.ValueKind == JsonValueKind.String ? PythonWhitespace.Strip(JsonFields.ReadableString(m.Value, name)) : JsonValueRepr.Str(m.Value)))
            .ToList();
        return new PromptCacheBinding(fields) { IsEmpty = members.Count == 0 };
    }

    /// <summary>Whether <c>modalities</c> asks for text alone; a value that is not a list of strings is a 400.</summary>
    private static bool TextOnly(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "modalities", "an array");
        var textOnly = true;
        foreach (var item in value.EnumerateArray())
        {
            textOnly &= JsonFields.String(item, "modalities") == "text";
        }

        return textOnly;
    }

    private static ReasoningControl? ParseReasoningEffort(JsonElement value) =>
        ReasoningControl.TryParseEffort(JsonFields.String(value, "reasoning_effort"), out var control) ? control
        : throw new InvalidRequestException(
            $"Invalid value for 'reasoning_effort': '{value.GetString()}'. Supported values are: {ReasoningControl.EffortValues}.",
            "reasoning_effort", "invalid_value");

    /// <summary>AbstractCore's <c>thinking</c>: a boolean, or one of its words and levels (case-insensitive).</summary>
    private static ReasoningControl? ParseThinking(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => ReasoningControl.On,
        JsonValueKind.False => ReasoningControl.Off,
        JsonValueKind.String when ReasoningControl.TryParseThinking(value.GetString()!, out var control) => control,
        JsonValueKind.String => throw new InvalidRequestException(
            $"Invalid value for 'thinking': '{value.GetString()}'. Supported values are: {ReasoningControl.ThinkingValues}.",
            "thinking", "invalid_value"),
        _ => throw JsonFields.TypeError("thinking", "a boolean or a string", value),
    };

    private static InvalidRequestException UnknownField(string name) =>
        new($"Unrecognized request argument supplied: {name}", name, "unknown_parameter");

    private static InvalidRequestException Unsupported(string param, string why) =>
        new($"Unsupported value for '{param}': {why}.", param, "unsupported_parameter");
}
