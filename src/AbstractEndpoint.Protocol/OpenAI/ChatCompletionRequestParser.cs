using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Validates a <c>/v1/chat/completions</c> body and maps it to a <see cref="ChatRequest"/>. Every field is either
/// honoured or refused with a 400 that names it: nothing is silently ignored.
/// </summary>
public static class ChatCompletionRequestParser
{
    private const int MaxStopSequences = 16;

    /// <summary>OpenAI's limit for <c>top_logprobs</c>.</summary>
    private const int MaxTopLogprobs = 20;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    private static readonly HashSet<string> KnownFields =
    [
        "model", "messages", "temperature", "top_p", "top_k", "min_p", "frequency_penalty", "presence_penalty",
        "repeat_penalty", "seed", "logit_bias", "max_tokens", "max_completion_tokens", "stop", "stream", "stream_options",
        "tools", "tool_choice", "parallel_tool_calls", "prompt_cache_key", "user", "n", "logprobs", "top_logprobs",
        "response_format", "chat_template_kwargs", "store", "metadata", "modalities", "service_tier", "functions", "function_call",
        // llama-server's sampling extras.
        "typical_p", "repetition_penalty", "repeat_last_n", "ignore_eos", "n_probs", "cache_prompt", "samplers", "grammar",
    ];

    /// <param name="body">The request body.</param>
    /// <param name="requireModel">False for routes that need no model name (<c>/apply-template</c>).</param>
    public static ParsedChatCompletion Parse(ReadOnlyMemory<byte> body, bool requireModel = true)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidRequestException(
                $"We could not parse the JSON body of your request: {ex.Message}", null, "invalid_json", ex);
        }

        using (document)
        {
            return Parse(document.RootElement, requireModel);
        }
    }

    public static ParsedChatCompletion Parse(JsonElement root, bool requireModel = true)
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
        var choices = 1;
        var variables = new Dictionary<string, JsonNode?>();
        bool? logprobs = null;
        int? topLogprobs = null;
        int? nProbs = null;
        var ignoreEos = false;
        var cachePrompt = true;
        string? grammar = null;

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null)
            {
                // null means "not given", as in OpenAI's API; an unknown name is still an error.
                if (!KnownFields.Contains(name))
                {
                    throw new InvalidRequestException($"Unrecognized request argument supplied: {name}", name, "unknown_parameter");
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
                    sampling = sampling with { Temperature = (float)JsonFields.Number(value, name, 0, 2) };
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
                    sampling = sampling with { RepeatPenalty = (float)JsonFields.Number(value, name, 0, 10) };
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
                    sampling = sampling with { RepeatPenalty = (float)JsonFields.Number(value, name, 0, 10) };
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
                        throw Unsupported(name, "this server does not store completions");
                    }

                    break;
                case "metadata":
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object"); // Labels for stored completions; none are stored.
                    break;
                case "modalities":
                    ParseModalities(value);
                    break;
                case "service_tier":
                    var tier = JsonFields.String(value, name);
                    if (tier is not ("auto" or "default"))
                    {
                        throw Unsupported(name, $"'{tier}' is not available; this server has one tier");
                    }

                    break;
                case "functions" or "function_call":
                    throw Unsupported(name, "the deprecated functions API is not supported; use 'tools'");
                default:
                    throw new InvalidRequestException($"Unrecognized request argument supplied: {name}", name, "unknown_parameter");
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
                includeUsage = option.Name switch
                {
                    "include_usage" => option.Value.ValueKind != JsonValueKind.Null && JsonFields.Boolean(option.Value, "stream_options.include_usage"),
                    _ => throw new InvalidRequestException(
                        $"Unrecognized request argument supplied: stream_options.{option.Name}", $"stream_options.{option.Name}", "unknown_parameter"),
                };
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
            Choices = choices,
        };
        return new ParsedChatCompletion(request, model ?? "", stream, includeUsage);
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

    private static void ParseModalities(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "modalities", "an array");
        foreach (var item in value.EnumerateArray())
        {
            if (JsonFields.String(item, "modalities") != "text")
            {
                throw Unsupported("modalities", "this model only produces text");
            }
        }
    }

    private static InvalidRequestException Unsupported(string param, string why) =>
        new($"Unsupported value for '{param}': {why}.", param, "unsupported_parameter");
}
