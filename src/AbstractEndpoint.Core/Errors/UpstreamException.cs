namespace AbstractEndpoint.Core.Errors;

/// <summary>
/// A remote provider refused or failed a request. The client gets the upstream's own status (a 401 or 403 here means
/// the upstream refused this server's credential, not the client's key) with the upstream's message, so errors read
/// the same behind the endpoint as in front of the provider.
/// </summary>
/// <param name="message">What went wrong, naming the upstream.</param>
/// <param name="statusCode">The HTTP status to answer with: the upstream's, or 502/504 when it could not be reached.</param>
/// <param name="type">OpenAI's error <c>type</c> (the upstream's when it sent one).</param>
/// <param name="code">A short machine-readable code.</param>
/// <param name="inner">The transport failure, when there was one.</param>
public sealed class UpstreamException(string message, int statusCode, string type = "upstream_error", string? code = "upstream_error", Exception? inner = null)
    : EndpointException(message, null, code, inner)
{
    public int StatusCode { get; } = statusCode;

    public string Type { get; } = type;

    /// <summary>The upstream's <c>Retry-After</c> in seconds (429, 503), passed on to the client.</summary>
    public int? RetryAfterSeconds { get; init; }
}
