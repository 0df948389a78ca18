namespace AbstractEndpoint.Hub;

/// <summary>
/// A model could not be resolved. <see cref="Exception.Message"/> is written for the person who typed
/// <c>--model</c>: it says what was looked for, where, and what to do next.
/// </summary>
public sealed class ModelResolutionException : Exception
{
    public ModelResolutionException()
        : this(ModelResolutionErrorKind.NotFound, "The model could not be resolved.")
    {
    }

    public ModelResolutionException(string message)
        : this(ModelResolutionErrorKind.NotFound, message)
    {
    }

    public ModelResolutionException(string message, Exception innerException)
        : this(ModelResolutionErrorKind.NotFound, message, innerException)
    {
    }

    public ModelResolutionException(ModelResolutionErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>The category of failure.</summary>
    public ModelResolutionErrorKind Kind { get; }
}
