using System.Diagnostics;
using AbstractEndpoint.Host.Errors;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// <c>--timeout</c> for one piece of engine work: a token cancelled when the request's time (counted from its first
/// byte, <see cref="RequestRecord.Started"/>) runs out, and the cancellation that causes turned into a
/// <see cref="RequestTimeoutException"/> (a 504, or an error event on a started stream). Shared by every observed
/// backend so chat, completions and embeddings time out alike.
/// </summary>
internal sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _caller;
    private readonly TimeSpan? _limit;

    private RequestDeadline(TimeSpan? limit, CancellationToken caller)
    {
        _limit = limit;
        _caller = caller;
        _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
    }

    /// <summary>The token the work runs under: the caller's, cut short at the deadline.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Starts the clock's last stretch; a request already past its deadline is refused here.</summary>
    public static RequestDeadline Start(TimeSpan? limit, RequestRecord? record, CancellationToken caller)
    {
        var deadline = new RequestDeadline(limit, caller);
        if (limit is { } timeout)
        {
            var left = timeout - Stopwatch.GetElapsedTime(record?.Started ?? Stopwatch.GetTimestamp());
            if (left <= TimeSpan.Zero)
            {
                deadline.Dispose();
                throw new RequestTimeoutException(timeout);
            }

            deadline._source.CancelAfter(left);
        }

        return deadline;
    }

    /// <summary>Whether a cancellation came from the deadline rather than from the caller (a client gone).</summary>
    public bool Expired =>
        _limit is not null && _source.IsCancellationRequested && !_caller.IsCancellationRequested;

    public RequestTimeoutException Timeout() => new(_limit!.Value);

    /// <summary>Runs <paramref name="work"/> under the deadline (for a backend that answers all at once).</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work(Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Expired)
        {
            throw Timeout();
        }
    }

    public void Dispose() => _source.Dispose();
}
