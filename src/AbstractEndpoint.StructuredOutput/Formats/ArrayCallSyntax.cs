using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Families that write all calls as one JSON array after an opening marker, optionally inside a ```json fence and
/// before a closing marker: Command R (<c>Action:</c>), Command R7B (<c>&lt;|START_ACTION|&gt;</c>), Granite
/// (<c>&lt;|tool_call|&gt;</c>) and FireFunction v2 (<c>functools</c>).
/// </summary>
internal sealed class ArrayCallSyntax : OutputSyntax
{
    private readonly string _open;
    private readonly string? _close;
    private readonly bool _fenced;
    private readonly string[] _nameKeys;
    private readonly string[] _argKeys;

    private ArrayCallSyntax(ToolCallFormat format, string open, string? close, bool fenced, string[] nameKeys, string[] argKeys, ReasoningTags? reasoning, IReadOnlyList<string> ignored)
    {
        Format = format;
        _open = open;
        _close = close;
        _fenced = fenced;
        _nameKeys = nameKeys;
        _argKeys = argKeys;
        Reasoning = reasoning;
        IgnoredMarkers = ignored;
        BlockMarkers = [open];
    }

    public static readonly ReasoningTags CommandR7BThinking = new("<|START_THINKING|>", "<|END_THINKING|>");

    public static ArrayCallSyntax CommandR { get; } = new(ToolCallFormat.CommandR, "Action:", null, true, ["tool_name"], ["parameters"], null, []);

    public static ArrayCallSyntax CommandR7B { get; } = new(ToolCallFormat.CommandR7B, "<|START_ACTION|>", "<|END_ACTION|>", false, ["tool_name"], ["parameters"],
        CommandR7BThinking, ["<|START_RESPONSE|>", "<|END_RESPONSE|>"]);

    public static ArrayCallSyntax Granite { get; } = new(ToolCallFormat.Granite, "<|tool_call|>", null, false, JsonCalls.NameKeys, JsonCalls.ArgumentKeys,
        ReasoningTags.Think, ["<response>", "</response>"]);

    public static ArrayCallSyntax FireFunctionV2 { get; } = new(ToolCallFormat.FireFunctionV2, "functools", null, false, JsonCalls.NameKeys, JsonCalls.ArgumentKeys, null, []);

    public override ToolCallFormat Format { get; }

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
            switch (Lit(s, pos, "```json"))
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
            switch (Lit(s, pos, "```"))
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

        return Lit(s, pos, _close) switch
        {
            1 => BlockResult.Complete(pos + _close.Length, calls),
            0 when !final => BlockResult.Incomplete(calls),
            _ => BlockResult.Complete(end, calls),
        };
    }
}
