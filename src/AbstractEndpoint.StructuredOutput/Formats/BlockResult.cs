using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// The result of (re-)parsing a block from its start marker. <see cref="End"/> is where output resumes after a
/// complete block, or after the last well-formed call of a broken one.
/// </summary>
internal sealed record BlockResult(BlockStatus Status, int End, IReadOnlyList<PartialCall> Calls, bool ThenReasoning = false)
{
    public static BlockResult Incomplete(params PartialCall[] calls) => new(BlockStatus.Incomplete, 0, calls);

    public static BlockResult Incomplete(IReadOnlyList<PartialCall> calls) => new(BlockStatus.Incomplete, 0, calls);

    public static BlockResult Complete(int end, params PartialCall[] calls) => new(BlockStatus.Complete, end, calls);

    public static BlockResult Complete(int end, IReadOnlyList<PartialCall> calls) => new(BlockStatus.Complete, end, calls);

    public static BlockResult NotABlock(int end, params PartialCall[] calls) => new(BlockStatus.NotABlock, end, calls);

    public static BlockResult NotABlock(int end, IReadOnlyList<PartialCall> calls) => new(BlockStatus.NotABlock, end, calls);

    /// <summary>Turns a JSON scan status of a call's own text into the block status.</summary>
    public static BlockResult FromScan(ScanStatus status, int end, IReadOnlyList<PartialCall> calls) => status switch
    {
        ScanStatus.Incomplete => Incomplete(calls),
        ScanStatus.Invalid => NotABlock(end, calls),
        _ => Complete(end, calls),
    };
}
