namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>Where parsing a block from its start marker got.</summary>
internal enum BlockStatus
{
    /// <summary>Need more text.</summary>
    Incomplete,

    Complete,

    /// <summary>The marker did not open a well-formed block after all.</summary>
    NotABlock,
}
