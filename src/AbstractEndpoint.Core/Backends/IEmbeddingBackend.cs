using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;

namespace AbstractEndpoint.Core.Backends;

/// <summary>
/// Turns inputs into vectors (<c>/v1/embeddings</c>): the local model's embedding context, or an OpenAI-style remote
/// provider's <c>/embeddings</c>.
/// </summary>
public interface IEmbeddingBackend
{
    /// <summary>
    /// The length of every vector; null when only the reply tells (a remote provider, whose model may also shorten its
    /// vectors on request).
    /// </summary>
    int? Dimensions { get; }

    /// <summary>
    /// One vector per input, in order. <paramref name="dimensions"/> is the width the client asked for, or null; a
    /// backend with a known <see cref="Dimensions"/> gets only that width (the host checks it first). Client errors
    /// (an input too long, a token id outside the vocabulary, a model whose pooling gives no single vector) are
    /// <see cref="Errors.InvalidRequestException"/>s.
    /// </summary>
    Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken);
}
