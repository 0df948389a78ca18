using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary><c>&lt;function=name&gt;{...}&lt;/function&gt;</c>, plus <c>&lt;|python_tag|&gt;</c> code (Functionary v3.1 / Llama 3.1 custom tools).</summary>
internal sealed class FunctionaryV31Family : ToolCallFamily
{
    public const string Open = "<function=";
    public const string Close = "</function>";

    public override ToolCallFormat Format => ToolCallFormat.FunctionaryV31;

    public override bool Detects(string template) => Has(template, Open);

    public override FormatGrammar Grammar { get; } = new FormatGrammar(
        (c, t, p) => List(c.AnyCall(t, x => GbnfExpr.Seq(Lit(Open + x.Name + ">"), c.Arguments(x), Lit(Close))), p, string.Empty),
        t => [ToolCallGrammar.RegexEscape(Open) + FormatGrammar.NameAlternatives(t) + ">"],
        [Open]);

    public override IReadOnlyList<string> BlockMarkers { get; } = [Open, PythonCalls.Tag];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        if (LiteralAt(s, start, PythonCalls.Tag) == 1)
        {
            var p = JsonScanner.SkipWhitespace(s, start + PythonCalls.Tag.Length);
            return p >= s.Length && !final ? BlockResult.Incomplete() : PythonCalls.Parse(s, p, final);
        }

        var (name, afterName) = ReadUntil(s, start + Open.Length, ">", IsNameChar);
        if (name is null || name.Length == 0)
        {
            return name is null && afterName == 0 ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
        }

        var pos = JsonScanner.SkipWhitespace(s, afterName);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '{')
        {
            return BlockResult.NotABlock(start);
        }

        var (status, end) = JsonScanner.ScanValue(s, pos);
        var call = new PartialCall(name, s[pos..end], status == ScanStatus.Complete);
        if (status != ScanStatus.Complete)
        {
            return BlockResult.FromScan(status, end, [call]);
        }

        var after = JsonScanner.SkipWhitespace(s, end);
        return LiteralAt(s, after, Close) switch
        {
            1 => BlockResult.Complete(after + Close.Length, call),
            0 when !final => BlockResult.Incomplete(call),
            _ => BlockResult.Complete(end, call),
        };
    }
}
