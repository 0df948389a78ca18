using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>
/// Embedding decodes on the request thread, one request at a time, each decode as full as the context allows: for a
/// model with no generation (an encoder-only embedding model has no inference loop), where nothing else waits on them.
/// </summary>
public sealed class SerialEmbeddingScheduler : IEmbeddingScheduler, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<float[][]> EmbedAsync(IEmbeddingRuntime runtime, IReadOnlyList<int[]> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(inputs);
        var vectors = new float[inputs.Count][];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var start = 0; start < inputs.Count;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = EmbeddingPacking.End(inputs, start, runtime.MaxSequences, runtime.MaxBatchTokens);
                runtime.Embed(inputs.Skip(start).Take(end - start).ToArray()).CopyTo(vectors, start);
                start = end;
            }
        }
        finally
        {
            _gate.Release();
        }

        return vectors;
    }

    public void Dispose() => _gate.Dispose();
}
