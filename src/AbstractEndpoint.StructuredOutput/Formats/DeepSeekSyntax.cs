using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// DeepSeek's fullwidth-bar markers. R1 writes <c>&lt;｜tool▁call▁begin｜&gt;function&lt;｜tool▁sep｜&gt;name\n```json\n{...}\n```&lt;｜tool▁call▁end｜&gt;</c>;
/// V3.1 writes <c>&lt;｜tool▁call▁begin｜&gt;name&lt;｜tool▁sep｜&gt;{...}&lt;｜tool▁call▁end｜&gt;</c>. Both are read by both formats (told
/// apart by whether JSON follows the separator), so a mis-detected template still parses.
/// </summary>
internal sealed class DeepSeekSyntax(bool r1) : OutputSyntax
{
    public const string CallsBegin = "<｜tool▁calls▁begin｜>";
    public const string CallsEnd = "<｜tool▁calls▁end｜>";
    public const string CallBegin = "<｜tool▁call▁begin｜>";
    public const string CallEnd = "<｜tool▁call▁end｜>";
    public const string Separator = "<｜tool▁sep｜>";

    public override ToolCallFormat Format => r1 ? ToolCallFormat.DeepSeekR1 : ToolCallFormat.DeepSeekV31;

    public override IReadOnlyList<string> BlockMarkers { get; } = [CallsBegin, CallBegin];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        if (Lit(s, pos, CallsBegin) == 1)
        {
            pos += CallsBegin.Length;
        }

        var calls = new List<PartialCall>();
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (Lit(s, pos, CallsEnd) == 1)
            {
                return BlockResult.Complete(pos + CallsEnd.Length, calls);
            }

            switch (Lit(s, pos, CallBegin))
            {
                case 0:
                    return BlockResult.Incomplete(calls);
                case -1:
                    if (Lit(s, pos, CallsEnd) == 0)
                    {
                        return BlockResult.Incomplete(calls);
                    }

                    return calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
            }

            var (head, afterSep) = ReadUntil(s, pos + CallBegin.Length, Separator, c => IsNameChar(c) || c == ' ', maxLength: 128);
            if (head is null)
            {
                return afterSep == 0 ? BlockResult.Incomplete(calls) : End(calls, start, pos);
            }

            var p = JsonScanner.SkipWhitespace(s, afterSep);
            if (p >= s.Length)
            {
                return BlockResult.Incomplete(calls);
            }

            string name;
            if (s[p] == '{')
            {
                name = head.Trim();
            }
            else
            {
                // R1: the separator is followed by the name, a newline and a ```json fence.
                var (n, afterName) = ReadUntil(s, afterSep, "\n", IsNameChar, maxLength: 128);
                if (n is null)
                {
                    return afterName == 0 ? BlockResult.Incomplete(calls) : End(calls, start, pos);
                }

                name = n;
                p = JsonScanner.SkipWhitespace(s, afterName);
                switch (Lit(s, p, "```json"))
                {
                    case 1:
                        p = JsonScanner.SkipWhitespace(s, p + "```json".Length);
                        break;
                    case 0:
                        return BlockResult.Incomplete(calls);
                }

                if (p >= s.Length)
                {
                    return BlockResult.Incomplete(calls);
                }

                if (s[p] != '{')
                {
                    return End(calls, start, pos);
                }
            }

            if (name.Length == 0)
            {
                return End(calls, start, pos);
            }

            var (status, end) = JsonScanner.ScanValue(s, p);
            var call = new PartialCall(name, s[p..end], status == ScanStatus.Complete);
            if (status != ScanStatus.Complete)
            {
                return BlockResult.FromScan(status, end, [.. calls, call]);
            }

            calls.Add(call);
            p = JsonScanner.SkipWhitespace(s, end);
            switch (Lit(s, p, "```"))
            {
                case 1:
                    p = JsonScanner.SkipWhitespace(s, p + 3);
                    break;
                case 0:
                    return BlockResult.Incomplete(calls);
            }

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

    private static BlockResult End(List<PartialCall> calls, int start, int pos) =>
        calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
}
