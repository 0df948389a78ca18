namespace AbstractEndpoint.Host.Errors;

/// <summary>
/// A request outlived <c>--timeout</c>: a 504 (<c>server_error</c>, code <c>timeout</c>) before its reply started, an
/// error event on a stream that had. Its generation is cancelled, so the slot is freed at the next step.
/// </summary>
internal sealed class RequestTimeoutException(TimeSpan limit)
    : Exception($"The request did not finish within this server's limit of {limit.TotalSeconds:0.###} s (--timeout).")
{
}
