using System.Text;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.StructuredOutput.Formats;
using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Tools;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Grammars that make a model call tools in its own markup, with arguments valid for each tool's schema.
/// <list type="bullet">
/// <item><c>required</c> / a named function: a grammar that applies from the first token and forces one call
/// (or, with parallel calls, one or more); the family's reasoning block may come first.</item>
/// <item><c>auto</c>: a lazy grammar that only applies once the model writes the format's opening marker (see
/// <see cref="GrammarSpec.TriggerPatterns"/>); a marker inside the reasoning block does not trigger it.</item>
/// <item><c>none</c>, or no tools: no grammar (null).</item>
/// </list>
/// XML-style formats (Qwen3-Coder, GLM) write string parameters as raw text: there only <c>enum</c> and the
/// length bounds are enforced for strings; other parameter types get their full JSON grammar.
/// </summary>
public static class ToolCallGrammar
{
    /// <param name="format">The model family's markup.</param>
    /// <param name="tools">The tools the model may call.</param>
    /// <param name="choice">OpenAI's <c>tool_choice</c>.</param>
    /// <param name="parallelToolCalls">Whether one reply may hold several calls.</param>
    /// <param name="startsInReasoning">The prompt already opened the reasoning block (see <see cref="StreamingOutputParser.PromptEndsInsideReasoning"/>).</param>
    /// <param name="allowReasoning">
    /// Whether a forced call may be preceded by the family's reasoning block. Pass false for models that do not
    /// reason (see <see cref="ToolCallFormatDetector.TemplateSupportsReasoning"/>): an optional block they never
    /// close would otherwise let them write free text until the token limit. Ignored when
    /// <paramref name="startsInReasoning"/> (the block is already open and must be closed).
    /// </param>
    /// <exception cref="SchemaConversionException">A tool's parameter schema cannot be converted (the message names the tool).</exception>
    /// <exception cref="ArgumentException">The named function is not among the tools.</exception>
    public static GrammarSpec? Build(
        ToolCallFormat format,
        IReadOnlyList<ToolDefinition> tools,
        ToolChoice choice,
        bool parallelToolCalls,
        bool startsInReasoning = false,
        bool allowReasoning = true)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(choice);
        if (choice.Kind == ToolChoiceKind.None || tools.Count == 0)
        {
            return null;
        }

        var selected = tools;
        if (choice.Kind == ToolChoiceKind.Function)
        {
            selected = tools.Where(t => t.Name == choice.FunctionName).Take(1).ToList();
            if (selected.Count == 0)
            {
                throw new ArgumentException("tool_choice names the function '" + choice.FunctionName + "', which is not in tools.", nameof(choice));
            }
        }

        var lazy = choice.Kind == ToolChoiceKind.Auto;
        var family = ToolCallFamilies.For(format);
        var b = new GbnfBuilder();
        var ctx = new ToolGrammarContext(b);
        var root = b.Reserve(JsonSchemaGrammar.RootRule);
        var shape = family.Grammar;
        var calls = shape.Calls(ctx, selected, parallelToolCalls);
        var withPrefix = !lazy && (allowReasoning || startsInReasoning);
        var body = lazy ? calls : GbnfExpr.Seq(withPrefix ? shape.Prefix(ctx, family, startsInReasoning) : string.Empty, calls);
        b.Define(root, body);

        var patterns = lazy
            ? shape.Triggers(selected).Select(t => t.StartsWith('^') ? t : TriggerPattern(t, family, startsInReasoning)).ToList()
            : [];
        return new GrammarSpec(b.Build(root), root, patterns, lazy ? shape.TriggerWords : [], lazy);
    }

    // ^…$ patterns are matched against the whole generated text; the first group marks where the grammar starts.
    private static string TriggerPattern(string markerRegex, ToolCallFamily family, bool startsInReasoning)
    {
        var tags = family.Reasoning;
        if (tags is null || (tags.Open is null && !startsInReasoning))
        {
            return "^[\\s\\S]*?(" + markerRegex + ")[\\s\\S]*$";
        }

        var close = RegexEscape(tags.Close);
        if (startsInReasoning || tags.Open is null)
        {
            return "^[\\s\\S]*?" + close + "[\\s\\S]*?(" + markerRegex + ")[\\s\\S]*$";
        }

        // Skip a leading reasoning block; without one, the marker may come anywhere.
        var open = RegexEscape(tags.Open);
        return "^(?:\\s*" + open + "[\\s\\S]*?" + close + "|(?!\\s*" + open + "))[\\s\\S]*?(" + markerRegex + ")[\\s\\S]*$";
    }

    internal static string RegexEscape(string literal)
    {
        var sb = new StringBuilder();
        foreach (var c in literal)
        {
            if ("\\^$.|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
