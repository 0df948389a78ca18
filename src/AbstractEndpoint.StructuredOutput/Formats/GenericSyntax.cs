using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// No native markup: a JSON object <c>{"tool_calls": [{"name": ..., "arguments": {...}}, ...]}</c>,
/// <c>{"tool_call": {...}}</c> or a single <c>{"name": ..., "arguments": {...}}</c>, recognised by its first key.
/// </summary>
internal sealed class GenericSyntax : OutputSyntax
{
    public const string CallsKey = "\"tool_calls\"";
    public const string CallKey = "\"tool_call\"";

    public override ToolCallFormat Format => ToolCallFormat.Generic;

    public override StartMatch MatchBlockStart(string s, int i) =>
        s[i] == '{' ? Llama3JsonSyntax.MatchJsonCallStart(s, i, [CallsKey, CallKey, "\"name\""]) : StartMatch.None;

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = JsonScanner.SkipWhitespace(s, start + 1);
        var wrapper = Lit(s, pos, CallsKey) == 1 ? CallsKey : Lit(s, pos, CallKey) == 1 ? CallKey : null;
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
        switch (Lit(s, pos, ":"))
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
        return Lit(s, pos, "}") switch
        {
            1 => BlockResult.Complete(pos + 1, calls),
            0 when !final => BlockResult.Incomplete(calls),
            _ => BlockResult.Complete(innerEnd, calls),
        };
    }
}
