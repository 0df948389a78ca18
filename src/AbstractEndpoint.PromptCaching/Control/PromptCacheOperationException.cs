namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// A control-plane operation that could not be done, with its contract code (<see cref="PromptCacheErrorCodes"/>)
/// and a message that says why. The routes answer it with the coded envelope (HTTP 200), as upstream does; it is
/// never a client error status.
/// </summary>
public sealed class PromptCacheOperationException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
