namespace AbstractEndpoint.Core.Errors;

/// <summary>The server cannot take the request now (queue full, model still loading): a 503 with Retry-After.</summary>
public sealed class ServerBusyException(string message, int retryAfterSeconds, string code = "server_busy")
    : EndpointException(message, null, code)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
