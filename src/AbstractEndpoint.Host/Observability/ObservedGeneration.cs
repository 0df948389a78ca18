using System.Diagnostics;
using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// One generation's update stream as the observed backends (<see cref="ObservedChatBackend"/>,
/// <see cref="ObservedTextCompletionBackend"/>) pass it on: held to the server's <see cref="RequestLimits"/> (the
/// choices and <c>max_tokens</c> caps, checked when the stream is first read, as the backend's own client errors are),
/// then unchanged, measured from admission to its end (<see cref="GenerationObservation"/>) and cut off at
/// <c>--timeout</c> (<see cref="RequestDeadline"/>).
/// </summary>
internal static class ObservedGeneration
{
    /// <summary>
    /// Streams what <paramref name="generate"/> starts with the request's <paramref name="asked"/> limits bounded by
    /// <paramref name="limits"/>.
    /// </summary>
    public static async IAsyncEnumerable<ChatUpdate> StreamAsync(
        int choices,
        GenerationLimits asked,
        Func<GenerationLimits, CancellationToken, IAsyncEnumerable<ChatUpdate>> generate,
        EndpointMetrics metrics,
        RequestLimits limits,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        limits.CheckChoices(choices, "n");
        var bounded = limits.Bound(asked);
        var record = RequestRecord.Current;
        using var deadline = RequestDeadline.Start(limits.Timeout, record, cancellationToken);
        var updates = generate(bounded, deadline.Token).GetAsyncEnumerator(deadline.Token);
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
