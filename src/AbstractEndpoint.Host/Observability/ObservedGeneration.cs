using System.Diagnostics;
using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// One generation's update stream as the observed backends (<see cref="ObservedChatBackend"/>,
/// <see cref="ObservedTextCompletionBackend"/>) pass it on: unchanged, measured from admission to its end
/// (<see cref="GenerationObservation"/>) and cut off at <c>--timeout</c> (<see cref="RequestDeadline"/>).
/// </summary>
internal static class ObservedGeneration
{
    public static async IAsyncEnumerable<ChatUpdate> StreamAsync(
        Func<CancellationToken, IAsyncEnumerable<ChatUpdate>> generate,
        EndpointMetrics metrics,
        TimeSpan? timeout,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var record = RequestRecord.Current;
        using var deadline = RequestDeadline.Start(timeout, record, cancellationToken);
        var updates = generate(deadline.Token).GetAsyncEnumerator(deadline.Token);
        await using (updates.ConfigureAwait(false))
        {
            // Client errors and overload are thrown before admission: they are not requests the engine served.
            if (!await NextAsync(updates, deadline).ConfigureAwait(false))
            {
                yield break;
            }

            var observation = new GenerationObservation(metrics, record, Stopwatch.GetTimestamp());
            observation.See(updates.Current);
            yield return updates.Current;
            try
            {
                while (await NextAsync(updates, deadline).ConfigureAwait(false))
                {
                    observation.See(updates.Current);
                    yield return updates.Current;
                }
            }
            finally
            {
                // Also reached when the reader stops early (client gone, timeout) or the stream fails: an abort.
                observation.End();
            }
        }
    }

    private static async ValueTask<bool> NextAsync(IAsyncEnumerator<ChatUpdate> updates, RequestDeadline deadline)
    {
        try
        {
            return await updates.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            throw deadline.Timeout();
        }
    }
}
