using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
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
    private const int MaxStopSequences = 16;

    /// <summary>OpenAI's limit for <c>top_logprobs</c>.</summary>
    private const int MaxTopLogprobs = 20;

    /// <summary>
    /// llama.cpp divides positive logits by the repeat penalty: 0 (or a float that rounds to it) makes them infinite
    /// and the grammar-masked ones NaN, so a grammar then accepts a token it forbids and llama.cpp aborts the
    /// process (found by the fuzzer). 1 means no penalty; nothing useful lies below 0.01.
    /// </summary>
    private const double MinRepeatPenalty = 0.01;

    /// <summary>Temperatures below this are greedy decoding (see <see cref="ParseTemperature"/>).</summary>
    private const double GreedyTemperature = 1e-4;

    private static readonly HashSet<string> KnownFields =
    [
        "model", "messages", "temperature", "top_p", "top_k", "min_p", "frequency_penalty", "presence_penalty",
        "repeat_penalty", "seed", "logit_bias", "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options",
        "tools", "tool_choice", "parallel_tool_calls", "prompt_cache_key", "prompt_cache_binding", "prompt_cache_retention", "user", "n", "logprobs", "top_logprobs",
        "response_format", "chat_template_kwargs", "store", "metadata", "modalities", "service_tier", "functions", "function_call",
        // llama-server's sampling extras.
        "typical_p", "repetition_penalty", "repeat_last_n", "ignore_eos", "n_probs", "cache_prompt", "samplers", "grammar",
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
        var sampling = new SamplingOptions();
        int? maxTokens = null;
        int? maxCompletionTokens = null;
        IReadOnlyList<string> stop = [];
        var stream = false;
        JsonElement? streamOptions = null;
        IReadOnlyList<ToolDefinition> tools = [];
        ToolChoice? toolChoice = null;
        var parallelToolCalls = true;
        var responseFormat = ResponseFormat.Text;
        string? promptCacheKey = null;
        PromptCacheBinding? promptCacheBinding = null;
        string? promptCacheRetention = null;
        var choices = 1;
        var variables = new Dictionary<string, JsonNode?>();
        bool? logprobs = null;
        int? topLogprobs = null;
        int? nProbs = null;
        var ignoreEos = false;
        var cachePrompt = true;
        string? grammar = null;
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

            switch (name)
            {
                case "model":
                    model = JsonFields.String(value, name);
                    break;
                case "messages":
                    messages = ChatMessageParser.ParseAll(value);
                    break;
                case "temperature":
                    sampling = sampling with { Temperature = ParseTemperature(value, name) };
                    break;
                case "top_p":
                    sampling = sampling with { TopP = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "top_k":
                    sampling = sampling with { TopK = (int)JsonFields.Integer(value, name, 0, int.MaxValue) };
                    break;
                case "min_p":
                    sampling = sampling with { MinP = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "frequency_penalty":
                    sampling = sampling with { FrequencyPenalty = (float)JsonFields.Number(value, name, -2, 2) };
                    break;
                case "presence_penalty":
                    sampling = sampling with { PresencePenalty = (float)JsonFields.Number(value, name, -2, 2) };
                    break;
                case "repeat_penalty":
                    sampling = sampling with { RepeatPenalty = (float)JsonFields.Number(value, name, MinRepeatPenalty, 10) };
                    break;
                case "seed":
                    sampling = sampling with { Seed = ParseSeed(value) };
                    break;
                case "logit_bias":
                    sampling = sampling with { LogitBias = ParseLogitBias(value) };
                    break;
                case "max_tokens":
                    maxTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "stop":
                    stop = ParseStop(value);
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
                case "user":
                    JsonFields.String(value, name); // Only an end-user label for abuse tracking; nothing to do locally.
                    break;
                case "n":
                    choices = (int)JsonFields.Integer(value, name, 1, 128);
                    break;
                case "logprobs":
                    logprobs = JsonFields.Boolean(value, name);
                    break;
                case "top_logprobs":
                    topLogprobs = (int)JsonFields.Integer(value, name, 0, MaxTopLogprobs);
                    break;
                case "n_probs":
                    // llama-server's name for top_logprobs; asking for it turns log probabilities on.
                    nProbs = (int)JsonFields.Integer(value, name, 0, MaxTopLogprobs);
                    break;
                case "typical_p":
                    sampling = sampling with { TypicalP = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "repetition_penalty":
                    sampling = sampling with { RepeatPenalty = (float)JsonFields.Number(value, name, MinRepeatPenalty, 10) };
                    break;
                case "repeat_last_n":
                    // -1 is the whole context, 0 turns the penalties off (llama-server's meanings).
                    sampling = sampling with { PenaltyLastN = (int)JsonFields.Integer(value, name, -1, int.MaxValue) };
                    break;
                case "ignore_eos":
                    ignoreEos = JsonFields.Boolean(value, name);
                    break;
                case "cache_prompt":
                    cachePrompt = JsonFields.Boolean(value, name);
                    break;
                case "samplers":
                    sampling = sampling with { Order = SamplerOrderParser.Parse(value) };
                    break;
                case "grammar":
                    // An empty grammar is no grammar, as in llama-server.
                    grammar = JsonFields.String(value, name) is { Length: > 0 } gbnf && !string.IsNullOrWhiteSpace(gbnf) ? gbnf : null;
                    break;
                case "response_format":
                    responseFormat = ResponseFormatParser.Parse(value);
                    break;
                case "chat_template_kwargs":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object");
                    foreach (var kv in value.EnumerateObject())
                    {
                        variables[kv.Name] = JsonNode.Parse(kv.Value.GetRawText());
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

        var includeUsage = false;
        if (streamOptions is { } options)
        {
            if (!stream)
            {
                throw new InvalidRequestException(
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", "invalid_value");
            }

            foreach (var option in options.EnumerateObject())
            {
                var isNull = option.Value.ValueKind == JsonValueKind.Null;
                switch (option.Name)
                {
                    case "include_usage":
                        includeUsage = !isNull && JsonFields.Boolean(option.Value, "stream_options.include_usage");
                        break;
                    case "include_obfuscation":
                        // OpenAI pads chunks against length side channels on the internet; a local server sends none.
                        _ = isNull || JsonFields.Boolean(option.Value, "stream_options.include_obfuscation");
                        break;
                    default:
                        throw new InvalidRequestException(
                            $"Unrecognized request argument supplied: stream_options.{option.Name}", $"stream_options.{option.Name}", "unknown_parameter");
                }
            }
        }

        if (topLogprobs is not null && logprobs != true)
        {
            throw new InvalidRequestException(
                "Invalid value for 'top_logprobs': 'logprobs' must be set to true when 'top_logprobs' is given.", "top_logprobs", "invalid_value");
        }

        if (logprobs == true || nProbs is not null)
        {
            sampling = sampling with { TopLogprobs = topLogprobs ?? nProbs ?? 0 };
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
            Limits = new GenerationLimits
            {
                MaxOutputTokens = maxCompletionTokens ?? maxTokens,
                StopSequences = stop,
                IgnoreEndOfGeneration = ignoreEos,
            },
            Grammar = grammar,
            ReuseCachedPrompt = cachePrompt,
            TemplateVariables = variables,
            PromptCacheKey = promptCacheKey,
            PromptCacheBinding = promptCacheBinding,
            PromptCacheRetention = promptCacheRetention,
            Choices = choices,
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

    /// <summary>
    /// A temperature so small that logits divided by it overflow to infinity (1e-40 as a float) makes the
    /// probabilities NaN; under a grammar llama.cpp then accepts a token the grammar forbids and aborts the process
    /// (found by the fuzzer). Below <see cref="GreedyTemperature"/> sampling is greedy in all but name, so it is greedy.
    /// </summary>
    private static float ParseTemperature(JsonElement value, string name)
    {
        var temperature = JsonFields.Number(value, name, 0, 2);
        return temperature < GreedyTemperature ? 0f : (float)temperature;
    }

    private static uint? ParseSeed(JsonElement value)
    {
        var seed = JsonFields.Integer(value, "seed", long.MinValue, long.MaxValue);
        // A negative seed asks for a random one (llama.cpp's -1 convention, and the original endpoint's).
        return seed < 0 ? null : (uint)(seed & 0xFFFFFFFF);
    }

    private static Dictionary<int, float> ParseLogitBias(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "logit_bias", "an object mapping token ids to biases");
        var biases = new Dictionary<int, float>();
        foreach (var entry in value.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, out var token) || token < 0)
            {
                throw new InvalidRequestException(
                    $"Invalid 'logit_bias': key '{entry.Name}' is not a token id.", "logit_bias", "invalid_value");
            }

            biases[token] = (float)JsonFields.Number(entry.Value, $"logit_bias.{entry.Name}", -100, 100);
        }

        return biases;
    }

    private static List<string> ParseStop(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() is { Length: > 0 } single ? [single] : [];
        }

        JsonFields.RequireKind(value, JsonValueKind.Array, "stop", "a string or an array of strings");
        if (value.GetArrayLength() > MaxStopSequences)
        {
            throw new InvalidRequestException(
                $"Invalid 'stop': at most {MaxStopSequences} stop sequences are allowed.", "stop", "invalid_value");
        }

        var stops = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = JsonFields.String(item, $"stop[{index}]");
            if (text.Length > 0)
            {
                stops.Add(text);
            }

            index++;
        }

        return stops;
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
