using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// No native markup: a JSON object <c>{"tool_calls": [{"name": ..., "arguments": {...}}, ...]}</c>,
/// <c>{"tool_call": {...}}</c> or a single <c>{"name": ..., "arguments": {...}}</c>, recognised by its first key.
/// </summary>
internal sealed class GenericFamily : ToolCallFamily
{
    public const string CallsKey = "\"tool_calls\"";
    public const string CallKey = "\"tool_call\"";

    public override ToolCallFormat Format => ToolCallFormat.Generic;

    public override bool Detects(string template) => true;

    public override FormatGrammar Grammar { get; } = new FormatGrammar(
        (c, t, p) => GbnfExpr.Seq(
            Lit("{"), c.Ws, Lit("\"tool_calls\""), c.Ws, Lit(":"), c.Ws, Lit("["), c.Ws,
            List(c.AnyCall(t, x => c.JsonCall(x, "name", "arguments")), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
            c.Ws, Lit("]"), c.Ws, Lit("}")),
        _ => ["\\{\\s*\"tool_calls\"\\s*:\\s*\\["],
        ["{\"tool_calls\""]);

    public override StartMatch MatchBlockStart(string s, int i) =>
        s[i] == '{' ? Llama3JsonFamily.MatchJsonCallStart(s, i, [CallsKey, CallKey, "\"name\""]) : StartMatch.None;

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = JsonScanner.SkipWhitespace(s, start + 1);
        var wrapper = LiteralAt(s, pos, CallsKey) == 1 ? CallsKey : LiteralAt(s, pos, CallKey) == 1 ? CallKey : null;
        if (wrapper is null)
        {
            var (status, end, call) = JsonCalls.Object(s, start, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
            if (status == ScanStatus.Complete && call?.Name is null)
            {
                return BlockResult.NotABlock(start);
            }

            return BlockResult.FromScan(status, end, call is null ? [] : [call]);
        }

        pos = JsonScanner.SkipWhitespace(s, pos + wrapper.Length);
        switch (LiteralAt(s, pos, ":"))
        {
            case 0: return BlockResult.Incomplete();
            case -1: return BlockResult.NotABlock(start);
        }

        pos = JsonScanner.SkipWhitespace(s, pos + 1);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        List<PartialCall> calls;
        ScanStatus inner;
        int innerEnd;
        if (wrapper == CallsKey && s[pos] == '[')
        {
            (inner, innerEnd, calls) = JsonCalls.Array(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
        }
        else if (wrapper == CallKey && s[pos] == '{')
        {
            var (st, e, c) = JsonCalls.Object(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
            (inner, innerEnd, calls) = (st == ScanStatus.Complete && c?.Name is null ? ScanStatus.Invalid : st, e, c is null ? [] : [c]);
        }
        else
        {
            return BlockResult.NotABlock(start);
        }

        if (inner != ScanStatus.Complete)
        {
            return BlockResult.FromScan(inner, innerEnd, calls);
        }

        pos = JsonScanner.SkipWhitespace(s, innerEnd);
        return LiteralAt(s, pos, "}") switch
        {
            1 => BlockResult.Complete(pos + 1, calls),
            0 when !final => BlockResult.Incomplete(calls),
            _ => BlockResult.Complete(innerEnd, calls),
        };
    }
}
