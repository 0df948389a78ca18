namespace AbstractEndpoint.Jinja;

/// <summary>The template source is not valid Jinja2 (or uses an unsupported tag, filter or test).</summary>
public sealed class JinjaSyntaxException : JinjaException
{
    internal JinjaSyntaxException(string message, int line)
        : base(message) => Line = line;

    /// <summary>The 1-based template line the error was found on.</summary>
    public int Line { get; }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name}: {Message} (line {Line})";
}
