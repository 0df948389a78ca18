using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// DeepSeek's fullwidth-bar markers. R1 writes <c>&lt;｜tool▁call▁begin｜&gt;function&lt;｜tool▁sep｜&gt;name\n```json\n{...}\n```&lt;｜tool▁call▁end｜&gt;</c>;
/// V3.1 writes <c>&lt;｜tool▁call▁begin｜&gt;name&lt;｜tool▁sep｜&gt;{...}&lt;｜tool▁call▁end｜&gt;</c>. Both are read by both formats (told
/// apart by whether JSON follows the separator), so a mis-detected template still parses.
/// </summary>
internal sealed class DeepSeekFamily(bool r1) : CallSectionFamily
{
    public const string CallsBegin = "<｜tool▁calls▁begin｜>";
    public const string CallsEnd = "<｜tool▁calls▁end｜>";
    public const string CallBegin = "<｜tool▁call▁begin｜>";
    public const string CallEnd = "<｜tool▁call▁end｜>";
    public const string Separator = "<｜tool▁sep｜>";

    public override ToolCallFormat Format => r1 ? ToolCallFormat.DeepSeekR1 : ToolCallFormat.DeepSeekV31;

    private static readonly FormatGrammar R1Grammar = FormatGrammar.Marker(CallsBegin, (c, t, p) => GbnfExpr.Seq(
        Lit(CallsBegin),
        List(c.AnyCall(t, x => GbnfExpr.Seq(
            Lit(CallBegin + "function" + Separator + x.Name + "\n```json\n"),
            c.Arguments(x),
            Lit("\n```" + CallEnd))), p, GbnfExpr.Opt(Lit("\n"))),
        Lit(CallsEnd)));

    private static readonly FormatGrammar V31Grammar = FormatGrammar.Marker(CallsBegin, (c, t, p) => GbnfExpr.Seq(
        Lit(CallsBegin),
        List(c.AnyCall(t, x => GbnfExpr.Seq(Lit(CallBegin + x.Name + Separator), c.Arguments(x), Lit(CallEnd))), p, string.Empty),
        Lit(CallsEnd)));

    // Both spell the section markers alike; R1's template fences the arguments as ```json.
    public override bool Detects(string template) =>
        (Has(template, "tool▁calls▁begin") || Has(template, "tool▁call▁begin")) && Has(template, "```json") == r1;

    public override FormatGrammar Grammar => r1 ? R1Grammar : V31Grammar;

    public override IReadOnlyList<string> BlockMarkers { get; } = [CallsBegin, CallBegin];

    protected override string SectionBeginMarker => CallsBegin;

    protected override string SectionEndMarker => CallsEnd;

    protected override string CallBeginMarker => CallBegin;

    protected override string CallEndMarker => CallEnd;

    protected override CallHead ReadHead(string s, int headStart, List<PartialCall> calls, BlockResult end)
    {
        var (head, afterSep) = ReadUntil(s, headStart, Separator, c => IsNameChar(c) || c == ' ', maxLength: 128);
        if (head is null)
        {
            return CallHead.Stopped(afterSep == 0 ? BlockResult.Incomplete(calls) : end);
        }

        var p = JsonScanner.SkipWhitespace(s, afterSep);
        if (p >= s.Length)
        {
            return CallHead.Stopped(BlockResult.Incomplete(calls));
        }

        if (s[p] == '{')
        {
            var name = head.Trim();
            return name.Length == 0 ? CallHead.Stopped(end) : new CallHead(name, p, null);
        }

        // R1: the separator is followed by the name, a newline and a ```json fence.
        var (n, afterName) = ReadUntil(s, afterSep, "\n", IsNameChar, maxLength: 128);
        if (n is null)
        {
            return CallHead.Stopped(afterName == 0 ? BlockResult.Incomplete(calls) : end);
        }

        p = JsonScanner.SkipWhitespace(s, afterName);
        switch (LiteralAt(s, p, "```json"))
        {
            case 1:
                p = JsonScanner.SkipWhitespace(s, p + "```json".Length);
                break;
            case 0:
                return CallHead.Stopped(BlockResult.Incomplete(calls));
        }

        if (p >= s.Length)
        {
            return CallHead.Stopped(BlockResult.Incomplete(calls));
        }

        return s[p] != '{' || n.Length == 0 ? CallHead.Stopped(end) : new CallHead(n, p, null);
    }

    protected override (BlockResult? Stop, int Position) SkipAfterArguments(string s, int position, List<PartialCall> calls) =>
        LiteralAt(s, position, "```") switch
        {
            1 => (null, JsonScanner.SkipWhitespace(s, position + 3)),
            0 => (BlockResult.Incomplete(calls), position),
            _ => (null, position),
        };
}
