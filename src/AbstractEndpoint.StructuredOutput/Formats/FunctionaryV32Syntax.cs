using AbstractEndpoint.StructuredOutput.Parsing;

namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>
/// Functionary v3.2: every message starts with <c>&gt;&gt;&gt;recipient\n</c>; <c>all</c> is text for the user,
/// anything else a function whose JSON arguments follow. The prompt ends with <c>&gt;&gt;&gt;</c>, so the output
/// starts inside the first header.
/// </summary>
internal sealed class FunctionaryV32Syntax : OutputSyntax
{
    public const string Marker = ">>>";
    public const string ContentRecipient = "all";

    public override ToolCallFormat Format => ToolCallFormat.FunctionaryV32;

    public override ReasoningTags? Reasoning => null;

    public override bool StartsInBlock => true;

    public override IReadOnlyList<string> BlockMarkers { get; } = [Marker];

    public override BlockResult ParseBlock(string s, int start, bool final, ToolCatalog tools)
    {
        var pos = start;
        while (Lit(s, pos, Marker) == 1)
        {
            pos += Marker.Length;
        }

        if (Lit(s, pos, Marker) == 0 && pos < s.Length)
        {
            return BlockResult.Incomplete();
        }

        var (recipient, afterName) = ReadUntil(s, pos, "\n", IsNameChar, maxLength: 64);
        if (recipient is null || recipient.Length == 0)
        {
            return recipient is null && afterName == 0 && !final ? BlockResult.Incomplete() : BlockResult.NotABlock(start);
        }

        if (recipient == ContentRecipient)
        {
            return BlockResult.Complete(afterName);
        }

        pos = JsonScanner.SkipWhitespace(s, afterName);
        if (pos >= s.Length)
        {
            return BlockResult.Incomplete();
        }

        if (s[pos] != '{')
        {
            return BlockResult.NotABlock(start);
        }

        var (status, end) = JsonScanner.ScanValue(s, pos);
        return BlockResult.FromScan(status, end, [new PartialCall(recipient, s[pos..end], status == ScanStatus.Complete)]);
    }
}
