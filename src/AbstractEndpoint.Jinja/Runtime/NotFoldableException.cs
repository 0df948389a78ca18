namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// Thrown while folding constants at parse time when an expression turns out to depend on render-time state (a
/// variable, a call, a context filter). Never escapes the parser.
/// </summary>
internal sealed class NotFoldableException : Exception
{
    public NotFoldableException()
        : base("expression is not constant")
    {
    }
}
