using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.StructuredOutput.Formats;

namespace AbstractEndpoint.StructuredOutput.Tools;

/// <summary>
/// The call grammar of one format: the calls themselves, what may precede them when the grammar applies from the
/// first token, and the lazy-grammar triggers. Triggers are regexes for the text where the grammar takes over;
/// where the opening marker is ordinary text rather than a single special token, the trigger also includes the tool
/// name, so the text llama.cpp replays into the grammar at the trigger is always a valid prefix.
/// </summary>
internal sealed class FormatGrammar(
    Func<ToolGrammarContext, IReadOnlyList<ToolDefinition>, bool, string> calls,
    Func<IReadOnlyList<ToolDefinition>, IReadOnlyList<string>> triggers,
    IReadOnlyList<string> triggerWords,
    Func<ToolGrammarContext, ToolCallFamily, bool, string>? prefix = null)
{
    public IReadOnlyList<string> TriggerWords { get; } = triggerWords;

    public IReadOnlyList<string> Triggers(IReadOnlyList<ToolDefinition> tools) => triggers(tools);

    public string Calls(ToolGrammarContext ctx, IReadOnlyList<ToolDefinition> tools, bool parallel) => calls(ctx, tools, parallel);

    /// <summary>A format whose calls start with a literal marker (a special token in these families).</summary>
    public static FormatGrammar Marker(string marker, Func<ToolGrammarContext, IReadOnlyList<ToolDefinition>, bool, string> calls) =>
        new(calls, _ => [ToolCallGrammar.RegexEscape(marker)], [marker]);

    /// <summary>A regex alternation of the tools' names, for triggers that include the name.</summary>
    public static string NameAlternatives(IReadOnlyList<ToolDefinition> tools) =>
        "(?:" + string.Join("|", tools.Select(t => ToolCallGrammar.RegexEscape(t.Name))) + ")";

    public string Prefix(ToolGrammarContext ctx, ToolCallFamily syntax, bool startsInReasoning) =>
        prefix is null ? ctx.ReasoningPrefix(syntax, startsInReasoning) : prefix(ctx, syntax, startsInReasoning);
}
