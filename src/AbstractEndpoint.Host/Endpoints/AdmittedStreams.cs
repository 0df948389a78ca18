using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// Several update streams answered as one (<c>/v1/completions</c> with an array of prompts: one backend request per
/// prompt, all running at once so the scheduler batches them). Every stream is admitted before anything is written,
/// so a client error in any prompt is still a 4xx; the merged stream numbers stream <c>s</c>'s choice <c>c</c> as
/// <c>s × choicesPerStream + c</c>. Disposing cancels every stream.
/// </summary>
internal sealed class AdmittedStreams : IAsyncDisposable
{
    private readonly List<IAsyncEnumerator<ChatUpdate>> _streams = [];
    private readonly CancellationTokenSource _lifetime;
    private Task _pumps = Task.CompletedTask;

    private AdmittedStreams(CancellationToken cancellationToken) =>
        _lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    public int Count => _streams.Count;

    /// <summary>Starts each stream and waits for its <see cref="ChatAccepted"/>; on any failure the started ones are cancelled.</summary>
    public static async Task<AdmittedStreams> AdmitAsync(IEnumerable<IAsyncEnumerable<ChatUpdate>> streams, CancellationToken cancellationToken)
    {
        var admitted = new AdmittedStreams(cancellationToken);
        try
        {
            foreach (var stream in streams)
            {
                var updates = stream.GetAsyncEnumerator(admitted._lifetime.Token);
                admitted._streams.Add(updates);
                if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current is not ChatAccepted)
                {
                    throw new InvalidOperationException("The backend did not accept the request.");
                }
            }

            return admitted;
        }
        catch
        {
            await admitted.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The updates after admission, all streams interleaved as they arrive, choices renumbered.</summary>
    public async IAsyncEnumerable<ChatUpdate> MergeAsync(int choicesPerStream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_streams.Count == 1)
        {
            while (await _streams[0].MoveNextAsync().ConfigureAwait(false))
            {
                yield return _streams[0].Current;
            }

            yield break;
        }

        var merged = Channel.CreateUnbounded<ChatUpdate>(new UnboundedChannelOptions { SingleReader = true });
        _pumps = Task.WhenAll(_streams.Select((stream, index) => PumpAsync(stream, index * choicesPerStream, merged.Writer)));
        _ = _pumps.ContinueWith(
            done => merged.Writer.TryComplete(done.Exception?.InnerException), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (var update in merged.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A stream cannot be disposed while it is being read: cancel them all, let the pumps end, then dispose.
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _pumps.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var stream in _streams)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        _lifetime.Dispose();
    }

    private static async Task PumpAsync(IAsyncEnumerator<ChatUpdate> stream, int firstChoice, ChannelWriter<ChatUpdate> output)
    {
        while (await stream.MoveNextAsync().ConfigureAwait(false))
        {
            var update = stream.Current is ChoiceUpdate choice ? choice with { Choice = choice.Choice + firstChoice } : stream.Current;
            await output.WriteAsync(update).ConfigureAwait(false);
        }
    }
}
