using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Core.Backends;

/// <summary>
/// Completes a raw prompt (<c>/v1/completions</c>): the same update stream as chat, with no template in between.
/// A backend that can only chat (a remote provider) does not offer it.
/// </summary>
public interface ITextCompletionBackend
{
    /// <summary>
    /// Streams the completion: <see cref="ChatAccepted"/> (client errors are thrown before it), then per choice
    /// <see cref="LogprobsDelta"/> and <see cref="ContentDelta"/> updates and one <see cref="ChatFinished"/>.
    /// </summary>
    IAsyncEnumerable<ChatUpdate> CompleteAsync(TextCompletionRequest request, CancellationToken cancellationToken);
}
