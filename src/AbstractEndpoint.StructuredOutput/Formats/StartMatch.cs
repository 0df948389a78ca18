namespace AbstractEndpoint.StructuredOutput.Formats;

/// <summary>How a possible block start at some position compares with the markers.</summary>
internal enum StartMatch
{
    None,

    /// <summary>The text ends inside something that may still become a marker: hold it back.</summary>
    Partial,

    Full,
}
