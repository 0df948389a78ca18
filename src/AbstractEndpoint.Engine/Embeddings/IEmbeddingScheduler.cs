using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>Decides when an embedding context's decodes run, and how many inputs each takes.</summary>
public interface IEmbeddingScheduler
{
    /// <summary>The pooled (not normalised) vectors of <paramref name="inputs"/>, in order, decoded on <paramref name="runtime"/>.</summary>
    Task<float[][]> EmbedAsync(IEmbeddingRuntime runtime, IReadOnlyList<int[]> inputs, CancellationToken cancellationToken);
}
