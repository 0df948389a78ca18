namespace AbstractEndpoint.Engine.Runtime;

/// <summary>
/// A model context with embeddings on, over the already loaded weights. Not thread-safe: one
/// <see cref="Embed"/> at a time.
/// </summary>
public interface IEmbeddingRuntime : IDisposable
{
    /// <summary>The length of a pooled vector (the model's embedding width).</summary>
    int Dimensions { get; }

    /// <summary>The most tokens one decode takes: the inputs of one call together, and the longest single input.</summary>
    int MaxBatchTokens { get; }

    /// <summary>The most inputs one decode takes (each is one sequence).</summary>
    int MaxSequences { get; }

    /// <summary>Decodes the inputs together (one batch) and returns each one's pooled vector, not normalised.</summary>
    float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs);
}
