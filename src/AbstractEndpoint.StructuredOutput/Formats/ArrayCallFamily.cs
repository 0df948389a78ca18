using AbstractEndpoint.StructuredOutput.Gbnf;
using AbstractEndpoint.StructuredOutput.Parsing;
using AbstractEndpoint.StructuredOutput.Tools;
using static AbstractEndpoint.StructuredOutput.Tools.ToolGrammarContext;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Families that write all calls as one JSON array after an opening marker, optionally inside a ```json fence and
/// before a closing marker: Command R (<c>Action:</c>), Command R7B (<c>&lt;|START_ACTION|&gt;</c>), Granite
/// (<c>&lt;|tool_call|&gt;</c>) and FireFunction v2 (<c>functools</c>).
/// </summary>
internal sealed class ArrayCallFamily : ToolCallFamily
{
    private readonly string _open;
    private readonly string? _close;
    private readonly bool _fenced;
    private readonly string[] _nameKeys;
    private readonly string[] _argKeys;

    private readonly Func<string, bool> _detects;

    private ArrayCallFamily(
        ToolCallFormat format,
        Func<string, bool> detects,
        string open,
        string? close,
        bool fenced,
        string[] nameKeys,
        string[] argKeys,
        ReasoningTags? reasoning,
        IReadOnlyList<string> ignored,
        (string Open, string Close, Func<ToolGrammarContext, string>? Leading) array)
    {
        Format = format;
        _detects = detects;
        _open = open;
        _close = close;
        _fenced = fenced;
        _nameKeys = nameKeys;
        _argKeys = argKeys;
        Reasoning = reasoning;
        IgnoredMarkers = ignored;
        BlockMarkers = [open];
        Grammar = ArrayGrammar(array.Open, array.Close, array.Leading);
    }

    public static readonly ReasoningTags CommandR7BThinking = new("<|START_THINKING|>", "<|END_THINKING|>");

    public static ArrayCallFamily CommandR { get; } = new(
        ToolCallFormat.CommandR, t => Has(t, "Action:") && (Has(t, "tool_name") || Has(t, "directly-answer")),
        "Action:", null, true, ["tool_name"], ["parameters"], null, [], ("```json\n[", "]\n```", null));

    public static ArrayCallFamily CommandR7B { get; } = new(
        ToolCallFormat.CommandR7B, t => Has(t, "<|START_ACTION|>"),
        "<|START_ACTION|>", "<|END_ACTION|>", false, ["tool_name"], ["parameters"], CommandR7BThinking, ["<|START_RESPONSE|>", "<|END_RESPONSE|>"],
        ("[", "]", c => GbnfExpr.Seq(Lit("\"tool_call_id\""), c.Ws, Lit(":"), c.Ws, Lit("\""), "[0-9]{1,3}", Lit("\""), c.Ws, Lit(","), c.Ws)));

    public static ArrayCallFamily Granite { get; } = new(
        ToolCallFormat.Granite, t => Has(t, "<|tool_call|>"),
        "<|tool_call|>", null, false, JsonCalls.NameKeys, JsonCalls.ArgumentKeys, ReasoningTags.Think, ["<response>", "</response>"], ("[", "]", null));

    public static ArrayCallFamily FireFunctionV2 { get; } = new(
        ToolCallFormat.FireFunctionV2, t => Has(t, "functools["),
        "functools", null, false, JsonCalls.NameKeys, JsonCalls.ArgumentKeys, null, [], ("[", "]", null));

    public override ToolCallFormat Format { get; }

    public override FormatGrammar Grammar { get; }

    public override bool Detects(string template) => _detects(template);

    public override ReasoningTags? Reasoning { get; }

    public override IReadOnlyList<string> BlockMarkers { get; }

    public override IReadOnlyList<string> IgnoredMarkers { get; }

    public string Open => _open;

    public string? Close => _close;

    public bool Fenced => _fenced;

    public string NameKey => _nameKeys[0];

    public string ArgumentsKey => _argKeys[0];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = JsonScanner.SkipWhitespace(s, start + _open.Length);
        var fence = false;
        if (_fenced)
        {
            switch (LiteralAt(s, pos, "```json"))
            {
                case 1:
                    fence = true;
                    pos = JsonScanner.SkipWhitespace(s, pos + "```json".Length);
                    break;
                case 0:
                    return BlockResult.Incomplete();
            }
        }

        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '[')
        {
            return BlockResult.NotABlock(start);
        }

        var (status, end, calls) = JsonCalls.Array(s, pos, _nameKeys, _argKeys);
        if (status != ScanStatus.Complete)
        {
            return BlockResult.FromScan(status, end, calls);
        }

        pos = JsonScanner.SkipWhitespace(s, end);
        if (fence)
        {
            switch (LiteralAt(s, pos, "```"))
            {
                case 1:
                    pos = JsonScanner.SkipWhitespace(s, pos + 3);
                    end = pos;
                    break;
                case 0 when !final:
                    return BlockResult.Incomplete(calls);
            }
        }

        if (_close is null)
        {
            return BlockResult.Complete(end, calls);
        }

        return LiteralAt(s, pos, _close) switch
        {
            1 => BlockResult.Complete(pos + _close.Length, calls),
            0 when !final => BlockResult.Incomplete(calls),
            _ => BlockResult.Complete(end, calls),
        };
    }

    // The opening marker, a JSON array of call objects, the closing text.
    private FormatGrammar ArrayGrammar(string arrayOpen, string arrayClose, Func<ToolGrammarContext, string>? leading) => new(
        (c, t, p) => GbnfExpr.Seq(
            Lit(Open), Fenced ? c.Ws : string.Empty, Lit(arrayOpen), c.Ws,
            List(c.AnyCall(t, x => c.JsonCall(x, NameKey, ArgumentsKey, leading?.Invoke(c))), p, GbnfExpr.Seq(c.Ws, Lit(","), c.Ws)),
            c.Ws, Lit(arrayClose + (Close ?? string.Empty))),
        _ => [ToolCallGrammar.RegexEscape(Open)],
        [Open]);
}
