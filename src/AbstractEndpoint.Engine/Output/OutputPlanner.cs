using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Engine.Output;

/// <summary>
/// Decides, on the request thread, how a request's output is constrained and read:
/// <list type="bullet">
/// <item><c>tool_choice</c> <c>required</c> or a named function: a grammar from the first token forces a call in
/// the model's own markup whose arguments satisfy the function's schema;</item>
/// <item><c>auto</c> with tools: a lazy grammar that wakes on the markup's opening marker, so a call the model
/// chooses to make is well-formed, and free text stays free;</item>
/// <item><c>none</c> (or no tools): no tool grammar, and call markup is not parsed;</item>
/// <item><c>response_format</c> <c>json_object</c>/<c>json_schema</c> (without tools in play): the whole reply is
/// constrained to JSON (of the schema);</item>
/// <item><c>grammar</c> (llama-server's raw GBNF): the whole reply follows it.</item>
/// </list>
/// Every client error (a schema that cannot become a grammar, a grammar llama.cpp refuses, an unsupported
/// combination) is thrown here, before the request is queued.
/// </summary>
internal static class OutputPlanner
{
    public static OutputPlan Plan(ChatRequest request, string prompt, ModelOutputFormat model, IVocabulary vocabulary)
    {
        var toolsActive = request.Tools.Count > 0 && request.ToolChoice.Kind != ToolChoiceKind.None;
        var startsInReasoning = StreamingOutputParser.PromptEndsInsideReasoning(model.Format, prompt);
        IReadOnlyList<ToolDefinition> tools = toolsActive ? request.Tools : [];

        GrammarConstraint? grammar;
        string grammarParam;
        if (request.Grammar is { } raw)
        {
            grammar = RawGrammar(request, raw, toolsActive);
            grammarParam = "grammar";
        }
        else if (toolsActive)
        {
            if (request.ToolChoice.Kind == ToolChoiceKind.Auto && request.ResponseFormat.Kind != ResponseFormatKind.Text)
            {
                // One grammar per reply: a call or JSON content cannot both be guaranteed while the model chooses.
                throw new InvalidRequestException(
                    "Unsupported value for 'response_format': a JSON reply cannot be combined with tools while 'tool_choice' is " +
                    "'auto'. Use 'tool_choice' 'required' or a named function to force a call, or 'none' to get JSON.",
                    "response_format", "unsupported_parameter");
            }

            grammar = ToolGrammar(request, model, tools, startsInReasoning);
            grammarParam = "tools";
        }
        else
        {
            grammar = ResponseGrammar(request.ResponseFormat);
            grammarParam = "response_format";
        }

        if (grammar is not null && vocabulary.ValidateGrammar(grammar) is { } problem)
        {
            throw new InvalidRequestException(
                grammarParam == "grammar" ? $"Invalid 'grammar': {problem}." : $"The grammar built for '{grammarParam}' cannot be used: {problem}.",
                grammarParam, "invalid_value");
        }

        // Formats whose output starts inside a message header need the parser even for plain text.
        var parse = toolsActive || model.ReasoningFormat == ReasoningFormat.Extract
            || StreamingOutputParser.OutputStartsInsideHeader(model.Format);
        if (!parse && grammar is null)
        {
            return OutputPlan.PlainText;
        }

        return new OutputPlan
        {
            Grammar = grammar,
            Parse = parse,
            Format = model.Format,
            ReasoningFormat = model.ReasoningFormat,
            StartsInReasoning = startsInReasoning,
            ParseToolCalls = toolsActive,
            Tools = tools,
        };
    }

    /// <summary>
    /// The reasoning cap of a request (<see cref="GenerationLimits.MaxReasoningTokens"/>) where the model's format
    /// allows it: reasoning in plain tags, closed by forcing the closing tag (then a blank line, as the tagged
    /// formats write it) into the output. Null without a cap, or for a format whose reasoning is a channel or absent.
    /// </summary>
    public static ReasoningBudget? ReasoningBudget(ChatRequest request, string prompt, ModelOutputFormat model, IVocabulary vocabulary)
    {
        if (request.Limits.MaxReasoningTokens is not { } max || StreamingOutputParser.ReasoningTagsOf(model.Format) is not { } tags)
        {
            return null;
        }

        var close = vocabulary.Tokenize("\n" + tags.Close + "\n\n", addBos: false, parseSpecial: true);
        return new ReasoningBudget(
            Math.Max(0, max), tags.Open, tags.Close, close, StreamingOutputParser.PromptEndsInsideReasoning(model.Format, prompt));
    }

    private static GrammarConstraint ToolGrammar(
        ChatRequest request, ModelOutputFormat model, IReadOnlyList<ToolDefinition> tools, bool startsInReasoning)
    {
        var choice = request.ToolChoice;

        // A named function is one call of it, as OpenAI answers such a request; parallel calls are for choices.
        var parallel = request.ParallelToolCalls && request.ToolChoice.Kind != ToolChoiceKind.Function;
        GrammarSpec? spec;
        try
        {
            spec = ToolCallGrammar.Build(model.Format, tools, choice, parallel, startsInReasoning, model.Reasons);
        }
        catch (SchemaConversionException ex)
        {
            var index = FailingTool(model.Format, tools);
            throw new InvalidRequestException(
                $"Invalid schema for function '{tools[index].Name}': {ex.Message}", $"tools[{index}].function.parameters", "invalid_value", ex);
        }
        catch (ArgumentException ex)
        {
            // The protocol layer checks named functions already; this guards other callers of the backend.
            throw new InvalidRequestException(ex.Message, "tool_choice", "invalid_value", ex);
        }

        return spec is null
            ? throw new InvalidOperationException("Tools are in play but no tool-call grammar was built.")
            : new GrammarConstraint(spec.Gbnf, spec.Root, spec.Lazy, spec.TriggerPatterns);
    }

    // llama-server's raw GBNF. One grammar per reply: it cannot share the reply with a JSON format or a forced call.
    // With tools on 'auto' it replaces the lazy tool-call grammar; calls the grammar lets through are still parsed.
    private static GrammarConstraint RawGrammar(ChatRequest request, string gbnf, bool toolsActive)
    {
        if (request.ResponseFormat.Kind != ResponseFormatKind.Text)
        {
            throw new InvalidRequestException(
                "Unsupported value for 'grammar': it cannot be combined with a JSON 'response_format' (each is a grammar for the whole reply).",
                "grammar", "unsupported_parameter");
        }

        if (toolsActive && request.ToolChoice.Kind is ToolChoiceKind.Required or ToolChoiceKind.Function)
        {
            throw new InvalidRequestException(
                "Unsupported value for 'grammar': it cannot be combined with a forced tool call ('tool_choice' 'required' or a named function).",
                "grammar", "unsupported_parameter");
        }

        return GrammarConstraint.Strict(gbnf, "root");
    }

    private static GrammarConstraint? ResponseGrammar(ResponseFormat format)
    {
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                return GrammarConstraint.Strict(JsonSchemaGrammar.AnyJsonObject, JsonSchemaGrammar.RootRule);
            case ResponseFormatKind.JsonSchema:
                try
                {
                    var gbnf = format.Schema is null ? JsonSchemaGrammar.AnyJsonObject : JsonSchemaGrammar.FromSchema(format.Schema);
                    return GrammarConstraint.Strict(gbnf, JsonSchemaGrammar.RootRule);
                }
                catch (SchemaConversionException ex)
                {
                    throw new InvalidRequestException(
                        $"Invalid schema for response_format '{format.Name}': {ex.Message}", "response_format.json_schema.schema", "invalid_value", ex);
                }

            default:
                return null;
        }
    }

    // Which tool's schema the combined grammar failed on: the first one that fails alone.
    private static int FailingTool(ToolCallFormat format, IReadOnlyList<ToolDefinition> tools)
    {
        for (var i = 0; i < tools.Count; i++)
        {
            try
            {
                ToolCallGrammar.Build(format, [tools[i]], ToolChoice.Required, parallelToolCalls: false);
            }
            catch (SchemaConversionException)
            {
                return i;
            }
        }

        return 0;
    }

}
