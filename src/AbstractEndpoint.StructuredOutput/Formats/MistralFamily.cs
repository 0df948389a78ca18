using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Mistral's <c>[TOOL_CALLS]</c>: followed either by a JSON array of calls (Nemo and older tokenizers) or by
/// <c>name[CALL_ID]id[ARGS]{...}</c> with the call id optional (v11+ tokenizers). Both forms are accepted for both
/// formats; the format only decides which form grammars force and whether <c>[THINK]</c> reasoning is expected.
/// </summary>
internal sealed class MistralFamily(bool arrayForm) : ToolCallFamily
{
    public const string Marker = "[TOOL_CALLS]";
    public const string ArgsMarker = "[ARGS]";
    public const string CallIdMarker = "[CALL_ID]";

    public static readonly ReasoningTags ThinkTags = new("[THINK]", "[/THINK]");

    public override ToolCallFormat Format => arrayForm ? ToolCallFormat.MistralNemo : ToolCallFormat.Mistral;

    private static readonly FormatGrammar ArrayGrammar = FormatGrammar.Marker(Marker, (c, t, p) => GbnfExpr.Seq(
        Lit(Marker + "["), c.Ws,
        List(c.AnyCall(t, x => c.JsonCall(x, "name", "arguments")), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
        c.Ws, Lit("]")));

    private static readonly FormatGrammar NamedGrammar = FormatGrammar.Marker(Marker, (c, t, p) => List(
        c.AnyCall(t, x => GbnfExpr.Seq(Lit(Marker + x.Name + ArgsMarker), c.Arguments(x))), p, string.Empty));

    // Both write [TOOL_CALLS]; the newer tokenizers name the call and follow it with [ARGS].
    public override bool Detects(string template) => Has(template, Marker) && Has(template, ArgsMarker) != arrayForm;

    public override FormatGrammar Grammar => arrayForm ? ArrayGrammar : NamedGrammar;

    public override ReasoningTags? Reasoning => arrayForm ? null : ThinkTags;

    public override IReadOnlyList<string> BlockMarkers { get; } = [Marker];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = JsonScanner.SkipWhitespace(s, start + Marker.Length);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] == '[')
        {
            var (status, end, calls) = JsonCalls.Array(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
            return BlockResult.FromScan(status, end, calls);
        }

        if (s[pos] == '{')
        {
            var (status, end, call) = JsonCalls.Object(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
            return status == ScanStatus.Complete && call?.Name is null
                ? BlockResult.NotABlock(start)
                : BlockResult.FromScan(status, end, call is null ? [] : [call]);
        }

        // name, optional [CALL_ID]id, then [ARGS].
        var nameEnd = pos;
        while (nameEnd < s.Length && IsNameChar(s[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd >= s.Length)
        {
            return nameEnd - pos > 128 ? BlockResult.NotABlock(start) : BlockResult.Incomplete();
        }

        var name = s[pos..nameEnd];
        pos = nameEnd;
        if (LiteralAt(s, pos, CallIdMarker) == 1)
        {
            var (_, afterId) = ReadUntil(s, pos + CallIdMarker.Length, ArgsMarker, char.IsAsciiLetterOrDigit, maxLength: 64);
            if (afterId <= 0)
            {
                return afterId == 0 ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
            }

            pos = afterId - ArgsMarker.Length;
        }

        switch (LiteralAt(s, pos, ArgsMarker))
        {
            case 0: return BlockResult.Incomplete();
            case -1: return LiteralAt(s, pos, CallIdMarker) == 0 ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
        }

        if (name.Length == 0)
        {
            return BlockResult.NotABlock(start);
        }

        pos = JsonScanner.SkipWhitespace(s, pos + ArgsMarker.Length);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '{')
        {
            return BlockResult.NotABlock(start);
        }

        var (st, e) = JsonScanner.ScanValue(s, pos);
        return BlockResult.FromScan(st, e, [new PartialCall(name, s[pos..e], st == ScanStatus.Complete)]);
    }
}
