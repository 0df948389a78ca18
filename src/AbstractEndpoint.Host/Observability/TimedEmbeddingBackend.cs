using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// The loaded model's <see cref="IEmbeddingBackend"/> held to <c>--timeout</c> like the generating routes: a batch
/// still running at the deadline is cancelled and answered with a 504.
/// </summary>
internal sealed class TimedEmbeddingBackend(IEmbeddingBackend inner, RequestLimits limits) : IEmbeddingBackend
{
    public IEmbeddingBackend Inner => inner;

    public int? Dimensions => inner.Dimensions;

    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken)
    {
        using var deadline = RequestDeadline.Start(limits.Timeout, RequestRecord.Current, cancellationToken);
        return await deadline.RunAsync(token => inner.EmbedAsync(inputs, dimensions, token)).ConfigureAwait(false);
    }
}
