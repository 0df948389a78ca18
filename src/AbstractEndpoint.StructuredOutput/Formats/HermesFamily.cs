using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary><c>&lt;tool_call&gt;\n{"name": ..., "arguments": {...}}\n&lt;/tool_call&gt;</c>, one block per call.</summary>
internal sealed class HermesFamily : ToolCallFamily
{
    public const string Open = "<tool_call>";
    public const string Close = "</tool_call>";

    public override ToolCallFormat Format => ToolCallFormat.Hermes;

    public override bool Detects(string template) => Has(template, Open);

    public override FormatGrammar Grammar { get; } = FormatGrammar.Marker(Open, (c, t, p) => List(
        c.AnyCall(t, x => GbnfExpr.Seq(Lit(Open), c.Ws, c.JsonCall(x, "name", "arguments"), c.Ws, Lit(Close))), p, c.Ws));

    public override IReadOnlyList<string> BlockMarkers { get; } = [Open];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = JsonScanner.SkipWhitespace(s, start + Open.Length);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '{')
        {
            return BlockResult.NotABlock(start);
        }

        var (status, end, call) = JsonCalls.Object(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
        PartialCall[] calls = call is null ? [] : [call];
        if (status != ScanStatus.Complete || call?.Name is null)
        {
            return status == ScanStatus.Incomplete ? BlockResult.Incomplete(calls) : BlockResult.NotABlock(end, calls);
        }

        pos = JsonScanner.SkipWhitespace(s, end);
        return LiteralAt(s, pos, Close) switch
        {
            1 => BlockResult.Complete(pos + Close.Length, calls),
            0 => BlockResult.Incomplete(calls),
            _ => BlockResult.NotABlock(end, calls),
        };
    }
}
