namespace AbstractEndpoint.Jinja;

/// <summary>
/// A template exceeded one of the <see cref="JinjaOptions"/> limits (loop iterations, output size, allocation,
/// recursion or nesting depth). Raised instead of hanging, exhausting memory or overflowing the stack.
/// </summary>
public sealed class JinjaLimitException : JinjaException
{
    internal JinjaLimitException(string message)
        : base(message)
    {
    }

    internal JinjaLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
