namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>Reasoning delimiters. A null <see cref="Open"/> means reasoning is only entered by a block (a channel).</summary>
internal sealed record ReasoningTags(string? Open, string Close)
{
    public static readonly ReasoningTags Think = new("<think>", "</think>");
}
