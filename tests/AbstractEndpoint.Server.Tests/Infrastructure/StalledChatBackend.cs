using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// The real backend held after admission: it passes the engine's <see cref="ChatAccepted"/> on, then waits until it
/// is cancelled, so a test can order "the stream started" before "the limit ran out" without timing. Disposing it
/// disposes the real stream, which cancels the engine's job as a client disconnect does.
/// </summary>
public sealed class StalledChatBackend(IChatBackend real) : IChatBackend
{
    public string ModelId => real.ModelId;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = real.StreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            if (await updates.MoveNextAsync())
            {
                yield return updates.Current;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
