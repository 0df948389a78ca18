using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// The real embedding backend held before it answers: it waits until it is cancelled, so a test can reach
/// <c>--timeout</c> on <c>/v1/embeddings</c> without timing. Only the wait is fake; the server around it is real.
/// </summary>
public sealed class StalledEmbeddingBackend(IEmbeddingBackend real) : IEmbeddingBackend
{
    public int? Dimensions => real.Dimensions;

    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return await real.EmbedAsync(inputs, dimensions, cancellationToken);
    }
}
