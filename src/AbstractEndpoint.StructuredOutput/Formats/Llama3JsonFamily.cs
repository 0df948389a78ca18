using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Llama 3.x: a bare <c>{"name": ..., "parameters": {...}}</c> object (recognised by its first key, so ordinary
/// braces in prose are released at once), or <c>&lt;|python_tag|&gt;</c> followed by such an object, a built-in
/// <c>tool.call(...)</c> or code.
/// </summary>
internal sealed class Llama3JsonFamily : ToolCallFamily
{
    public override ToolCallFormat Format => ToolCallFormat.Llama3Json;

    public override bool Detects(string template) => Has(template, "<|start_header_id|>") && (Has(template, "<|python_tag|>") || Has(template, "\"parameters\"") || Has(template, "ipython"));

    public override FormatGrammar Grammar { get; } = new FormatGrammar(
        (c, t, p) => List(c.AnyCall(t, x => c.JsonCall(x, "name", "parameters")), p, c.Ws),
        t => ["\\{\\s*\"name\"\\s*:\\s*\"" + FormatGrammar.NameAlternatives(t) + "\""],
        ["{\"name\""]);

    public override IReadOnlyList<string> BlockMarkers { get; } = [PythonCalls.Tag];

    public override StartMatch MatchBlockStart(string s, int i)
    {
        if (s[i] != '{')
        {
            return MatchAny(s, i, [PythonCalls.Tag]);
        }

        return MatchJsonCallStart(s, i, ["\"name\"", "\"type\""]);
    }

    /// <summary>Matches '{' followed (after at most a little whitespace) by one of the given keys.</summary>
    public static StartMatch MatchJsonCallStart(string s, int i, string[] keys)
    {
        var pos = i + 1;
        var ws = 0;
        while (pos < s.Length && s[pos] is ' ' or '\n' or '\t' or '\r' && ws < 8)
        {
            pos++;
            ws++;
        }

        if (pos >= s.Length)
        {
            return ws < 8 ? StartMatch.Partial : StartMatch.None;
        }

        return MatchAny(s, pos, keys);
    }

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        if (LiteralAt(s, pos, PythonCalls.Tag) == 1)
        {
            pos = JsonScanner.SkipWhitespace(s, pos + PythonCalls.Tag.Length);
            if (pos >= s.Length)
            {
                return BlockResult.Incomplete();
            }

            if (s[pos] != '{')
            {
                return PythonCalls.Parse(s, pos, final);
            }
        }

        var (status, end, call) = JsonCalls.Object(s, pos, JsonCalls.NameKeys, JsonCalls.ArgumentKeys);
        PartialCall[] calls = call is null ? [] : [call];
        if (status == ScanStatus.Complete && call?.Name is null)
        {
            return BlockResult.NotABlock(start);
        }

        return BlockResult.FromScan(status, end, calls);
    }
}
