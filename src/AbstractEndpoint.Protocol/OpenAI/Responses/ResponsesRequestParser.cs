using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>
/// Validates a <c>/v1/responses</c> (or <c>/v1/responses/input_tokens</c>) body and maps it to the same
/// <see cref="ChatRequest"/> the chat route builds: <c>instructions</c> become the system turn, the input items turns
/// (see <see cref="ResponseInputParser"/>), function tools the request's tools, <c>text.format</c> its response
/// format (grammar-enforced), <c>reasoning.effort</c> its reasoning control. The lenient/strict rule is the chat
/// parser's: unknown fields and hosted tools are ignored (reported in <see cref="ParsedResponsesRequest.Ignored"/>)
/// by default and refused under <c>--strict-requests</c>; features that would change the reply's meaning
/// (<c>background</c>, <c>conversation</c>, <c>prompt</c>, custom tools) are always refused. See docs/api.md.
/// </summary>
public static class ResponsesRequestParser
{
    /// <summary>Temperatures below this are greedy decoding, as on the chat route (logits divided by less overflow).</summary>
    private const double GreedyTemperature = 1e-4;

    /// <summary>OpenAI's limits on <c>metadata</c>.</summary>
    private const int MaxMetadataKeys = 16;

    private static readonly HashSet<string> KnownFields =
    [
        "model", "input", "instructions", "tools", "tool_choice", "parallel_tool_calls", "text", "max_output_tokens",
        "temperature", "top_p", "reasoning", "metadata", "stream", "stream_options", "store", "previous_response_id",
        "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "service_tier", "truncation",
        "include", "background", "top_logprobs", "max_tool_calls", "conversation", "prompt",
    ];

    /// <summary>OpenAI's hosted tools: they run at OpenAI, so here they are left out of the request.</summary>
    private static readonly HashSet<string> HostedTools =
    [
        "web_search", "web_search_preview", "web_search_preview_2025_03_11", "web_search_2025_08_26", "file_search",
        "computer_use_preview", "computer_use", "code_interpreter", "image_generation", "mcp", "local_shell", "shell",
        "apply_patch",
    ];

    /// <param name="body">The request body.</param>
    /// <param name="strict">Refuse unknown fields and unavailable features (<c>--strict-requests</c>).</param>
    /// <param name="countTokens">The <c>input_tokens</c> body: the model is optional.</param>
    public static ParsedResponsesRequest Parse(ReadOnlyMemory<byte> body, bool strict = false, bool countTokens = false)
    {
        using var document = JsonRequestBody.Parse(body);
        return Parse(document.RootElement, strict, countTokens);
    }

    public static ParsedResponsesRequest Parse(JsonElement root, bool strict = false, bool countTokens = false)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");
        string? model = null;
        List<ChatMessage>? input = null;
        List<JsonObject> items = [];
        string? instructions = null;
        var sampling = new SamplingOptions();
        int? maxOutputTokens = null;
        var stream = false;
        var store = true;
        string? previousResponseId = null;
        string? promptCacheKey = null;
        IReadOnlyList<ToolDefinition> tools = [];
        var toolsEcho = new JsonArray();
        ToolChoice? toolChoice = null;
        JsonNode toolChoiceEcho = JsonValue.Create("auto");
        var parallelToolCalls = true;
        var responseFormat = ResponseFormat.Text;
        var textEcho = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } };
        ReasoningControl? reasoning = null;
        string? effort = null;
        var metadata = new Dictionary<string, string>();
        var ignored = new List<IgnoredField>();

        void Ignore(string field, string reason)
        {
            if (strict)
            {
                throw new InvalidRequestException($"Unsupported parameter: '{field}': {reason}.", field, "unsupported_parameter");
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
                case "input":
                    (input, items) = ResponseInputParser.Parse(value);
                    break;
                case "instructions":
                    instructions = JsonFields.String(value, name);
                    break;
                case "tools":
                    (tools, toolsEcho) = ParseTools(value, Ignore);
                    break;
                case "tool_choice":
                    toolChoice = ParseToolChoice(value);
                    toolChoiceEcho = JsonRequestBody.Node(value)!;
                    break;
                case "parallel_tool_calls":
                    parallelToolCalls = JsonFields.Boolean(value, name);
                    break;
                case "text":
                    (responseFormat, textEcho) = ParseText(value, Ignore);
                    break;
                case "max_output_tokens":
                    maxOutputTokens = (int)JsonFields.Integer(value, name, 1, int.MaxValue);
                    break;
                case "temperature":
                    var temperature = JsonFields.Number(value, name, 0, 2);
                    sampling = sampling with { Temperature = temperature < GreedyTemperature ? 0f : (float)temperature };
                    break;
                case "top_p":
                    sampling = sampling with { TopP = (float)JsonFields.Number(value, name, 0, 1) };
                    break;
                case "reasoning":
                    (reasoning, effort) = ParseReasoning(value, Ignore);
                    break;
                case "metadata":
                    metadata = ParseMetadata(value);
                    break;
                case "stream":
                    stream = JsonFields.Boolean(value, name);
                    break;
                case "stream_options":
                    // include_obfuscation pads events against length side channels on the internet; none are needed locally.
                    JsonFields.RequireKind(value, JsonValueKind.Object, name, "an object");
                    break;
                case "store":
                    store = JsonFields.Boolean(value, name);
                    break;
                case "previous_response_id":
                    previousResponseId = JsonFields.String(value, name) is { Length: > 0 } id ? id : null;
                    break;
                case "prompt_cache_key":
                    var key = JsonFields.String(value, name).Trim();
                    promptCacheKey = key.Length > 0 ? key : null;
                    break;
                case "user" or "safety_identifier" or "prompt_cache_retention":
                    JsonFields.String(value, name); // Labels and retention hints for OpenAI's service; nothing to do locally.
                    break;
                case "service_tier":
                    if (JsonFields.String(value, name) is not ("auto" or "default") and var tier)
                    {
                        Ignore(name, $"'{tier}': this server has one tier");
                    }

                    break;
                case "truncation":
                    if (JsonFields.String(value, name) is not "disabled" and var truncation)
                    {
                        // A prompt that does not fit is refused with a 400 either way; nothing is dropped silently.
                        Ignore(name, $"'{truncation}': the input is never truncated here");
                    }

                    break;
                case "include":
                    JsonFields.RequireKind(value, JsonValueKind.Array, name, "an array");
                    if (value.GetArrayLength() > 0)
                    {
                        Ignore(name, "no extra output data is available");
                    }

                    break;
                case "top_logprobs":
                    if (JsonFields.Integer(value, name, 0, 20) > 0)
                    {
                        Ignore(name, "log probabilities are not returned on this route");
                    }

                    break;
                case "max_tool_calls":
                    JsonFields.Integer(value, name, 1, int.MaxValue);
                    Ignore(name, "no hosted tools run here");
                    break;
                case "background":
                    if (JsonFields.Boolean(value, name))
                    {
                        throw new InvalidRequestException(
                            "Unsupported parameter: 'background': background responses are not supported by this server.", name, "unsupported_parameter");
                    }

                    break;
                case "conversation" or "prompt":
                    throw new InvalidRequestException(
                        $"Unsupported parameter: '{name}': stored {(name == "prompt" ? "prompt templates" : "conversations")} are not supported by this server; " +
                        "use 'input' and 'previous_response_id'.",
                        name, "unsupported_parameter");
                default:
                    Ignore(name, "unknown field");
                    break;
            }
        }

        if (model is null && !countTokens)
        {
            throw new InvalidRequestException("Missing required parameter: 'model'.", "model", "missing_required_parameter");
        }

        if (input is null)
        {
            throw new InvalidRequestException("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        }

        toolChoice = ToolChoiceParser.CheckAgainst(toolChoice, tools);
        List<ChatMessage> messages = [];
        if (instructions is { Length: > 0 })
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        messages.AddRange(input);
        var request = new ChatRequest
        {
            Messages = messages,
            Tools = toolChoice.Kind == ToolChoiceKind.None ? [] : tools,
            ToolChoice = toolChoice,
            ParallelToolCalls = parallelToolCalls,
            ResponseFormat = responseFormat,
            Sampling = sampling,
            Limits = new GenerationLimits { MaxOutputTokens = maxOutputTokens },
            Reasoning = reasoning,
            PromptCacheKey = promptCacheKey,
        };
        var settings = new ResponseSettings
        {
            Instructions = instructions,
            MaxOutputTokens = maxOutputTokens,
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            ParallelToolCalls = parallelToolCalls,
            ToolChoice = toolChoiceEcho,
            Tools = toolsEcho,
            Text = textEcho,
            ReasoningEffort = effort,
            Metadata = metadata,
            Store = store,
            PreviousResponseId = previousResponseId,
            PromptCacheKey = promptCacheKey,
        };
        return new ParsedResponsesRequest(request, model ?? "", stream, settings)
        {
            InputMessages = input,
            InputItems = items,
            Ignored = ignored,
        };
    }

    /// <summary>
    /// Function tools (<c>{"type":"function","name","description","parameters","strict"}</c>) become the request's
    /// tools, in the chat shape templates read; hosted tools are ignored; custom and unknown tool types are refused.
    /// </summary>
    private static (IReadOnlyList<ToolDefinition> Tools, JsonArray Echo) ParseTools(JsonElement value, Action<string, string> ignore)
    {
        JsonFields.RequireKind(value, JsonValueKind.Array, "tools", "an array");
        var tools = new List<ToolDefinition>();
        var echo = new JsonArray();
        var index = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var path = $"tools[{index++}]";
            JsonFields.RequireKind(tool, JsonValueKind.Object, path, "an object");
            var type = tool.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, $"{path}.type") : throw JsonFields.Missing($"{path}.type");
            if (HostedTools.Contains(type))
            {
                ignore(path, $"hosted tool '{type}' does not run on this server");
                continue;
            }

            if (type != "function")
            {
                throw new InvalidRequestException(
                    $"Invalid value for '{path}.type': '{type}'. This server supports 'function' tools (hosted tools are ignored).",
                    $"{path}.type", "invalid_value");
            }

            var name = tool.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null
                ? JsonFields.String(nameValue, $"{path}.name")
                : "";
            if (name.Length == 0)
            {
                throw new InvalidRequestException($"Missing required parameter: '{path}.name'.", $"{path}.name", "missing_required_parameter");
            }

            string? description = null;
            if (tool.TryGetProperty("description", out var descriptionValue) && descriptionValue.ValueKind != JsonValueKind.Null)
            {
                description = JsonFields.String(descriptionValue, $"{path}.description");
            }

            JsonObject? parameters = null;
            if (tool.TryGetProperty("parameters", out var parametersValue) && parametersValue.ValueKind != JsonValueKind.Null)
            {
                JsonFields.RequireKind(parametersValue, JsonValueKind.Object, $"{path}.parameters", "a JSON Schema object");
                parameters = JsonRequestBody.Node(parametersValue)!.AsObject();
            }

            if (tool.TryGetProperty("strict", out var strictValue) && strictValue.ValueKind != JsonValueKind.Null)
            {
                JsonFields.Boolean(strictValue, $"{path}.strict"); // Calls are grammar-constrained either way.
            }

            // Templates read tools in the chat shape, so that is the shape they get.
            var function = new JsonObject { ["name"] = name };
            if (description is not null)
            {
                function["description"] = description;
            }

            if (parameters is not null)
            {
                function["parameters"] = parameters.DeepClone();
            }

            tools.Add(new ToolDefinition(name, description, parameters)
            {
                Raw = new JsonObject { ["type"] = "function", ["function"] = function },
            });
            echo.Add(JsonRequestBody.Node(tool));
        }

        return (tools, echo);
    }

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","name":…}</c>.</summary>
    private static ToolChoice ParseToolChoice(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw new InvalidRequestException(
                    $"Invalid value for 'tool_choice': '{other}'. Supported values are: 'none', 'auto' and 'required'.", "tool_choice", "invalid_value"),
            };
        }

        JsonFields.RequireKind(value, JsonValueKind.Object, "tool_choice", "a string or an object");
        var type = value.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, "tool_choice.type") : throw JsonFields.Missing("tool_choice.type");
        if (type != "function")
        {
            throw new InvalidRequestException(
                $"Unsupported value for 'tool_choice.type': '{type}'. This server can force 'function' tools only.", "tool_choice.type", "invalid_value");
        }

        var name = value.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null
            ? JsonFields.String(nameValue, "tool_choice.name")
            : "";
        return name.Length > 0
            ? ToolChoice.Function(name)
            : throw new InvalidRequestException("Missing required parameter: 'tool_choice.name'.", "tool_choice.name", "missing_required_parameter");
    }

    /// <summary>
    /// <c>text.format</c>: <c>{"type":"text"}</c>, <c>{"type":"json_object"}</c> or
    /// <c>{"type":"json_schema","name","schema","strict","description"}</c> (flat, unlike chat's <c>response_format</c>).
    /// </summary>
    private static (ResponseFormat Format, JsonObject Echo) ParseText(JsonElement value, Action<string, string> ignore)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "text", "an object");
        var format = ResponseFormat.Text;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "format" when property.Value.ValueKind != JsonValueKind.Null:
                    format = ParseFormat(property.Value);
                    break;
                case "format":
                    break;
                case "verbosity":
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        JsonFields.String(property.Value, "text.verbosity");
                        ignore("text.verbosity", "the model's verbosity is its own");
                    }

                    break;
                default:
                    ignore($"text.{property.Name}", "unknown field");
                    break;
            }
        }

        var echo = JsonRequestBody.Node(value)!.AsObject();
        echo["format"] ??= new JsonObject { ["type"] = "text" };
        return (format, echo);
    }

    private static ResponseFormat ParseFormat(JsonElement format)
    {
        JsonFields.RequireKind(format, JsonValueKind.Object, "text.format", "an object");
        var type = format.TryGetProperty("type", out var typeValue) ? JsonFields.String(typeValue, "text.format.type") : throw JsonFields.Missing("text.format.type");
        switch (type)
        {
            case "text":
                return ResponseFormat.Text;
            case "json_object":
                return ResponseFormat.JsonObject;
            case "json_schema":
                var name = format.TryGetProperty("name", out var nameValue) && nameValue.ValueKind != JsonValueKind.Null
                    ? JsonFields.String(nameValue, "text.format.name")
                    : throw JsonFields.Missing("text.format.name");
                if (name.Length == 0)
                {
                    throw new InvalidRequestException("Invalid 'text.format.name': empty.", "text.format.name", "invalid_value");
                }

                JsonNode? schema = null;
                if (format.TryGetProperty("schema", out var schemaValue) && schemaValue.ValueKind != JsonValueKind.Null)
                {
                    if (schemaValue.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
                    {
                        throw JsonFields.TypeError("text.format.schema", "a JSON Schema object", schemaValue);
                    }

                    schema = JsonRequestBody.Node(schemaValue);
                }

                var strict = format.TryGetProperty("strict", out var strictValue) && strictValue.ValueKind != JsonValueKind.Null
                    && JsonFields.Boolean(strictValue, "text.format.strict");
                return ResponseFormat.JsonSchema(name, schema, strict);
            default:
                throw new InvalidRequestException(
                    $"Invalid value for 'text.format.type': '{type}'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                    "text.format.type", "invalid_value");
        }
    }

    /// <summary><c>reasoning.effort</c> as chat's <c>reasoning_effort</c>; <c>summary</c> has no effect (the whole reasoning is the summary).</summary>
    private static (ReasoningControl? Control, string? Effort) ParseReasoning(JsonElement value, Action<string, string> ignore)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "reasoning", "an object");
        ReasoningControl? control = null;
        string? effort = null;
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "effort":
                    effort = JsonFields.String(property.Value, "reasoning.effort");
                    if (!ReasoningControl.TryParseEffort(effort, out control))
                    {
                        throw new InvalidRequestException(
                            $"Invalid value for 'reasoning.effort': '{effort}'. Supported values are: {ReasoningControl.EffortValues}.",
                            "reasoning.effort", "invalid_value");
                    }

                    break;
                case "summary" or "generate_summary":
                    JsonFields.String(property.Value, $"reasoning.{property.Name}"); // The summary is the reasoning itself.
                    break;
                default:
                    ignore($"reasoning.{property.Name}", "unknown field");
                    break;
            }
        }

        return (control, effort);
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value)
    {
        JsonFields.RequireKind(value, JsonValueKind.Object, "metadata", "an object of strings");
        var metadata = new Dictionary<string, string>();
        foreach (var entry in value.EnumerateObject())
        {
            metadata[entry.Name] = JsonFields.String(entry.Value, $"metadata.{entry.Name}");
        }

        if (metadata.Count > MaxMetadataKeys)
        {
            throw new InvalidRequestException(
                $"Invalid 'metadata': at most {MaxMetadataKeys} keys are allowed.", "metadata", "invalid_value");
        }

        return metadata;
    }
}
