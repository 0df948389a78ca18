using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;

namespace AbstractEndpoint.Core.Backends;

/// <summary>Turns inputs into vectors (<c>/v1/embeddings</c>); a remote provider does not offer it.</summary>
public interface IEmbeddingBackend
{
    /// <summary>The length of every vector.</summary>
    int Dimensions { get; }

    /// <summary>
    /// One vector per input, in order. Client errors (an input too long, a token id outside the vocabulary, a model
    /// whose pooling gives no single vector) are <see cref="Errors.InvalidRequestException"/>s.
    /// </summary>
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, CancellationToken cancellationToken);
}
