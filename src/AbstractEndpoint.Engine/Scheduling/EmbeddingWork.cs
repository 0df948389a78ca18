using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// One embeddings request queued to the inference loop: its tokenized inputs, how far the loop has decoded them, and
/// the task its caller awaits. Only the loop thread advances it.
/// </summary>
internal sealed class EmbeddingWork(IEmbeddingRuntime runtime, IReadOnlyList<int[]> inputs, CancellationToken cancellationToken)
{
    private readonly float[][] _vectors = new float[inputs.Count][];
    private int _next;

    public TaskCompletionSource<float[][]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>
    /// Decodes the next inputs that fit <paramref name="maxTokens"/> (at least one) and completes the work after its
    /// last input. Returns the tokens decoded.
    /// </summary>
    public int DecodeNext(int maxTokens)
    {
        var end = EmbeddingPacking.End(inputs, _next, runtime.MaxSequences, Math.Min(maxTokens, runtime.MaxBatchTokens));
        var batch = new int[end - _next][];
        var tokens = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = inputs[_next + i];
            tokens += batch[i].Length;
        }

        runtime.Embed(batch).CopyTo(_vectors, _next);
        _next = end;
        if (_next == inputs.Count)
        {
            Completion.TrySetResult(_vectors);
        }

        return tokens;
    }

    public bool IsDone => _next == inputs.Count;
}
