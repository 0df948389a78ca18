using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// <c>&lt;|tool_calls_section_begin|&gt;&lt;|tool_call_begin|&gt;functions.name:0&lt;|tool_call_argument_begin|&gt;{...}&lt;|tool_call_end|&gt;…&lt;|tool_calls_section_end|&gt;</c>.
/// The function name is the call id without its <c>functions.</c> prefix and <c>:n</c> counter.
/// </summary>
internal sealed class KimiK2Family : CallSectionFamily
{
    public const string SectionBegin = "<|tool_calls_section_begin|>";
    public const string SectionEnd = "<|tool_calls_section_end|>";
    public const string CallBegin = "<|tool_call_begin|>";
    public const string ArgumentBegin = "<|tool_call_argument_begin|>";
    public const string CallEnd = "<|tool_call_end|>";

    public override ToolCallFormat Format => ToolCallFormat.KimiK2;

    public override bool Detects(string template) => Has(template, SectionBegin) || Has(template, CallBegin);

    public override FormatGrammar Grammar { get; } = FormatGrammar.Marker(SectionBegin, (c, t, p) => GbnfExpr.Seq(
        Lit(SectionBegin),
        List(c.AnyCall(t, x => GbnfExpr.Seq(
            Lit(CallBegin + "functions." + x.Name + ":"), "[0-9]{1,3}",
            Lit(ArgumentBegin), c.Arguments(x), Lit(CallEnd))), p, string.Empty),
        Lit(SectionEnd)));

    public override IReadOnlyList<string> BlockMarkers { get; } = [SectionBegin, CallBegin];

    protected override string SectionBeginMarker => SectionBegin;

    protected override string SectionEndMarker => SectionEnd;

    protected override string CallBeginMarker => CallBegin;

    protected override string CallEndMarker => CallEnd;

    protected override CallHead ReadHead(string s, int headStart, List<PartialCall> calls, BlockResult end)
    {
        var (id, afterId) = ReadUntil(s, headStart, ArgumentBegin, c => IsNameChar(c) || c == ' ', maxLength: 128);
        if (id is null)
        {
            return CallHead.Stopped(afterId == 0 ? BlockResult.Incomplete(calls) : end);
        }

        var name = NameFromId(id.Trim());
        var p = JsonScanner.SkipWhitespace(s, afterId);
        if (p >= s.Length)
        {
            return CallHead.Stopped(BlockResult.Incomplete(calls));
        }

        return s[p] != '{' || name.Length == 0 ? CallHead.Stopped(end) : new CallHead(name, p, null);
    }

    public static string NameFromId(string id)
    {
        var name = id.StartsWith("functions.", StringComparison.Ordinal) ? id["functions.".Length..] : id;
        var colon = name.LastIndexOf(':');
        return colon > 0 && name.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0 ? name[..colon] : name;
    }
}
