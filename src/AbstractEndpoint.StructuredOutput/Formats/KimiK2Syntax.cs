using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// <c>&lt;|tool_calls_section_begin|&gt;&lt;|tool_call_begin|&gt;functions.name:0&lt;|tool_call_argument_begin|&gt;{...}&lt;|tool_call_end|&gt;…&lt;|tool_calls_section_end|&gt;</c>.
/// The function name is the call id without its <c>functions.</c> prefix and <c>:n</c> counter.
/// </summary>
internal sealed class KimiK2Syntax : OutputSyntax
{
    public const string SectionBegin = "<|tool_calls_section_begin|>";
    public const string SectionEnd = "<|tool_calls_section_end|>";
    public const string CallBegin = "<|tool_call_begin|>";
    public const string ArgumentBegin = "<|tool_call_argument_begin|>";
    public const string CallEnd = "<|tool_call_end|>";

    public override ToolCallFormat Format => ToolCallFormat.KimiK2;

    public override IReadOnlyList<string> BlockMarkers { get; } = [SectionBegin, CallBegin];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        if (Lit(s, pos, SectionBegin) == 1)
        {
            pos += SectionBegin.Length;
        }

        var calls = new List<PartialCall>();
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (Lit(s, pos, SectionEnd) == 1)
            {
                return BlockResult.Complete(pos + SectionEnd.Length, calls);
            }

            switch (Lit(s, pos, CallBegin))
            {
                case 0:
                    return BlockResult.Incomplete(calls);
                case -1:
                    if (Lit(s, pos, SectionEnd) == 0)
                    {
                        return BlockResult.Incomplete(calls);
                    }

                    return calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
            }

            var (id, afterId) = ReadUntil(s, pos + CallBegin.Length, ArgumentBegin, c => IsNameChar(c) || c == ' ', maxLength: 128);
            if (id is null)
            {
                return afterId == 0 ? BlockResult.Incomplete(calls) : calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
            }

            var name = NameFromId(id.Trim());
            var p = JsonScanner.SkipWhitespace(s, afterId);
            if (p >= s.Length)
            {
                return BlockResult.Incomplete(calls);
            }

            if (s[p] != '{' || name.Length == 0)
            {
                return calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
            }

            var (status, end) = JsonScanner.ScanValue(s, p);
            var call = new PartialCall(name, s[p..end], status == ScanStatus.Complete);
            if (status != ScanStatus.Complete)
            {
                return BlockResult.FromScan(status, end, [.. calls, call]);
            }

            calls.Add(call);
            p = JsonScanner.SkipWhitespace(s, end);
            switch (Lit(s, p, CallEnd))
            {
                case 1:
                    pos = p + CallEnd.Length;
                    break;
                case 0:
                    return BlockResult.Incomplete(calls);
                default:
                    return BlockResult.NotABlock(end, calls);
            }
        }
    }

    public static string NameFromId(string id)
    {
        var name = id.StartsWith("functions.", StringComparison.Ordinal) ? id["functions.".Length..] : id;
        var colon = name.LastIndexOf(':');
        return colon > 0 && name.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0 ? name[..colon] : name;
    }
}
