using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Engine.Runtime;

/// <summary>
/// The seam between the scheduler and the native model. Only the inference loop thread calls the KV, decode and
/// sampler members; <see cref="Vocabulary"/> is safe from any thread. Tests drive the scheduler with a fake.
/// </summary>
public interface IModelRuntime : IDisposable
{
    ModelInfo Info { get; }

    IVocabulary Vocabulary { get; }

    /// <summary>Runs the model over one batch. Loop thread only.</summary>
    DecodeStatus Decode(TokenBatch batch);

    /// <summary>A sampler chain for one request, reading the logits of a batch row. Loop thread only.</summary>
    ITokenSampler CreateSampler(SamplingOptions options);

    /// <summary>Drops a sequence's KV cells in [from, to); <paramref name="to"/> = -1 means to the end. Loop thread only.</summary>
    void RemoveTokens(int sequence, int from, int to);

    /// <summary>
    /// Makes <paramref name="destination"/> share <paramref name="source"/>'s KV cells in [from, to) (no recompute;
    /// <paramref name="to"/> = -1 means to the end). Loop thread only.
    /// </summary>
    void CopySequence(int source, int destination, int from, int to);

    /// <summary>A sequence's KV cells as bytes (llama.cpp's per-sequence state), to keep beyond the context. Loop thread only.</summary>
    byte[] ReadSequenceState(int sequence);

    /// <summary>
    /// The size in bytes of what <see cref="ReadSequenceState"/> would return, without copying it (stats report it).
    /// Loop thread only.
    /// </summary>
    long SequenceStateSize(int sequence) => ReadSequenceState(sequence).LongLength;

    /// <summary>Loads bytes from <see cref="ReadSequenceState"/> into a sequence; false when llama.cpp refuses them. Loop thread only.</summary>
    bool WriteSequenceState(int sequence, byte[] state);
}
