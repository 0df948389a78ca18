namespace AbstractEndpoint.Core.Errors;

/// <summary>
/// An error with a stable, client-facing meaning. Domain code throws these; the host alone turns them into
/// status codes and OpenAI error bodies.
/// </summary>
public abstract class EndpointException(string message, string? param = null, string? code = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; } = param;

    /// <summary>A short machine-readable code.</summary>
    public string? Code { get; } = code;
}
