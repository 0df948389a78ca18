using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Formats whose calls sit in a marked section: <c>SectionBegin? (CallBegin head {json} CallEnd)* SectionEnd</c>
/// (DeepSeek, Kimi K2). The section loop, argument scan and end markers are shared; each format reads its own head.
/// </summary>
internal abstract class CallSectionFamily : ToolCallFamily
{
    protected abstract string SectionBeginMarker { get; }

    protected abstract string SectionEndMarker { get; }

    protected abstract string CallBeginMarker { get; }

    protected abstract string CallEndMarker { get; }

    /// <summary>
    /// Reads a call's head, which starts at <paramref name="headStart"/>: the function name and where its JSON
    /// arguments begin, or the result to stop with (<paramref name="end"/> is the result for "no more calls here").
    /// </summary>
    protected abstract CallHead ReadHead(string s, int headStart, List<PartialCall> calls, BlockResult end);

    /// <summary>Skips what a format writes between the arguments and the call's end marker (DeepSeek R1's fence).</summary>
    protected virtual (BlockResult? Stop, int Position) SkipAfterArguments(string s, int position, List<PartialCall> calls) =>
        (null, position);

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        if (LiteralAt(s, pos, SectionBeginMarker) == 1)
        {
            pos += SectionBeginMarker.Length;
        }

        var calls = new List<PartialCall>();
        while (true)
        {
            pos = JsonScanner.SkipWhitespace(s, pos);
            if (LiteralAt(s, pos, SectionEndMarker) == 1)
            {
                return BlockResult.Complete(pos + SectionEndMarker.Length, calls);
            }

            var noMoreCalls = calls.Count > 0 ? BlockResult.Complete(pos, calls) : BlockResult.NotABlock(start);
            switch (LiteralAt(s, pos, CallBeginMarker))
            {
                case 0:
                    return BlockResult.Incomplete(calls);
                case -1:
                    return LiteralAt(s, pos, SectionEndMarker) == 0 ? BlockResult.Incomplete(calls) : noMoreCalls;
            }

            var head = ReadHead(s, pos + CallBeginMarker.Length, calls, noMoreCalls);
            if (head.Stop is { } stop)
            {
                return stop;
            }

            var (status, end) = JsonScanner.ScanValue(s, head.ArgumentsStart);
            var call = new PartialCall(head.Name!, s[head.ArgumentsStart..end], status == ScanStatus.Complete);
            if (status != ScanStatus.Complete)
            {
                return BlockResult.FromScan(status, end, [.. calls, call]);
            }

            calls.Add(call);
            var (skipStop, p) = SkipAfterArguments(s, JsonScanner.SkipWhitespace(s, end), calls);
            if (skipStop is { } skipped)
            {
                return skipped;
            }

            switch (LiteralAt(s, p, CallEndMarker))
            {
                case 1:
                    pos = p + CallEndMarker.Length;
                    break;
                case 0:
                    return BlockResult.Incomplete(calls);
                default:
                    return BlockResult.NotABlock(end, calls);
            }
        }
    }
}

/// <summary>A call head read by a <see cref="CallSectionFamily"/>: the name and where the arguments start, or where to stop.</summary>
internal readonly record struct CallHead(string? Name, int ArgumentsStart, BlockResult? Stop)
{
    public static CallHead Stopped(BlockResult result) => new(null, 0, result);
}
