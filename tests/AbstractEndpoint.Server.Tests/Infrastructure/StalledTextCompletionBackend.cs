using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// The real text-completion backend held after admission, as <see cref="StalledChatBackend"/> holds chat: it passes
/// the engine's <see cref="ChatAccepted"/> on, then waits until it is cancelled.
/// </summary>
public sealed class StalledTextCompletionBackend(ITextCompletionBackend real) : ITextCompletionBackend
{
    public async IAsyncEnumerable<ChatUpdate> CompleteAsync(TextCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = real.CompleteAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
