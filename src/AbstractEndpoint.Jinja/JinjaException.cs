namespace AbstractEndpoint.Jinja;

/// <summary>Base of every error the engine raises: syntax, render and limit errors.</summary>
public abstract class JinjaException : Exception
{
    private protected JinjaException(string message)
        : base(message)
    {
    }

    private protected JinjaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
