using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Functionary v3.2: every message starts with <c>&gt;&gt;&gt;recipient\n</c>; <c>all</c> is text for the user,
/// anything else a function whose JSON arguments follow. The prompt ends with <c>&gt;&gt;&gt;</c>, so the output
/// starts inside the first header.
/// </summary>
internal sealed class FunctionaryV32Family : ToolCallFamily
{
    public const string Marker = ">>>";
    public const string ContentRecipient = "all";

    public override ToolCallFormat Format => ToolCallFormat.FunctionaryV32;

    public override bool Detects(string template) => Has(template, Marker + ContentRecipient) || (Has(template, Marker) && Has(template, "recipient"));

    // The prompt ends with ">>>", so the first call has no marker of its own.
    public override FormatGrammar Grammar { get; } = new FormatGrammar(
        (c, t, p) =>
        {
            var call = c.AnyCall(t, x => GbnfExpr.Seq(Lit(x.Name + "\n"), c.Arguments(x)));
            var marker = Lit(Marker);
            return GbnfExpr.Seq(GbnfExpr.Opt(marker), call, p ? GbnfExpr.Star(GbnfExpr.Seq(marker, call)) : string.Empty);
        },
        t => ["^(" + FormatGrammar.NameAlternatives(t) + "\\n)[\\s\\S]*$", ">>>" + FormatGrammar.NameAlternatives(t) + "\\n"],
        [Marker]);

    public override ReasoningTags? Reasoning => null;

    public override bool StartsInBlock => true;

    public override IReadOnlyList<string> BlockMarkers { get; } = [Marker];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        while (LiteralAt(s, pos, Marker) == 1)
        {
            pos += Marker.Length;
        }

        if (LiteralAt(s, pos, Marker) == 0 && pos < s.Length)
        {
            return BlockResult.Incomplete();
        }

        var (recipient, afterName) = ReadUntil(s, pos, "\n", IsNameChar, maxLength: 64);
        if (recipient is null || recipient.Length == 0)
        {
            return recipient is null && afterName == 0 && !final ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
        }

        if (recipient == ContentRecipient)
        {
            return BlockResult.Complete(afterName);
        }

        pos = JsonScanner.SkipWhitespace(s, afterName);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '{')
        {
            return BlockResult.NotABlock(start);
        }

        var (status, end) = JsonScanner.ScanValue(s, pos);
        return BlockResult.FromScan(status, end, [new PartialCall(recipient, s[pos..end], status == ScanStatus.Complete)]);
    }
}
