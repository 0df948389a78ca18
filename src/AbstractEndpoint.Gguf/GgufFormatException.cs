namespace AbstractEndpoint.Gguf;

/// <summary>
/// The bytes are not a readable GGUF file: wrong magic, unsupported version, truncated, or inconsistent. The message
/// says what was expected and where (<see cref="Offset"/>), so it can be shown to a user as is.
/// </summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException()
    {
    }

    public GgufFormatException(string message)
        : base(message)
    {
    }

    public GgufFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GgufFormatException(string message, long offset)
        : base(message) => Offset = offset;

    /// <summary>The byte offset in the file where the problem was found, when known.</summary>
    public long? Offset { get; }
}
