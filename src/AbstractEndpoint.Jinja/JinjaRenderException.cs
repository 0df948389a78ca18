namespace AbstractEndpoint.Jinja;

/// <summary>
/// Rendering failed the way Python Jinja2 would fail: the template called <c>raise_exception</c>, used an undefined
/// value, or performed an invalid operation. <see cref="ErrorType"/> names the Python exception class Jinja2 raises.
/// </summary>
public sealed class JinjaRenderException : JinjaException
{
    internal JinjaRenderException(string message, string errorType, string? raisedMessage = null)
        : base(message)
    {
        ErrorType = errorType;
        RaisedMessage = raisedMessage;
    }

    internal JinjaRenderException(string message, string errorType, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = errorType;
    }

    /// <summary>
    /// The Python exception class Jinja2 raises for this error: <c>TemplateError</c> (from <c>raise_exception</c>),
    /// <c>UndefinedError</c>, <c>SecurityError</c>, <c>TypeError</c>, <c>ValueError</c>, <c>ZeroDivisionError</c>...
    /// </summary>
    public string ErrorType { get; }

    /// <summary>
    /// The message the template passed to <c>raise_exception(...)</c>, verbatim; null for other errors. Servers return
    /// it to the client (for example "Conversation roles must alternate user/assistant/user/assistant/...").
    /// </summary>
    public string? RaisedMessage { get; }

    /// <summary>The 1-based template line being rendered when the error occurred (0 when unknown).</summary>
    public int Line { get; internal set; }

    /// <inheritdoc />
    public override string ToString() => $"{ErrorType}: {Message}" + (Line > 0 ? $" (line {Line})" : string.Empty);
}
