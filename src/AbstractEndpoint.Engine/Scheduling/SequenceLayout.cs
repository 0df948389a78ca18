namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// The llama.cpp sequences of one context, in order: one per slot (<c>--parallel</c>), then the named caches'
/// sequences, then the server-managed conversation states' (<c>--responses-kv-states</c>). The runtime is created with
/// <see cref="Total"/> sequences, the loop serves <see cref="Slots"/> of them, the prompt-cache service hands out the
/// cache sequences and the conversation states the last ones, so the split is decided once, here, and read everywhere.
/// </summary>
/// <param name="Slots">Sequences 0..Slots-1: one request (or one choice of it) each.</param>
/// <param name="CacheSequences">Sequences after the slots, for named caches and the control plane's working copies.</param>
/// <param name="StateSequences">Sequences after the caches, one per kept conversation state (never a client's cache).</param>
public sealed record SequenceLayout(int Slots, int CacheSequences, int StateSequences = 0)
{
    /// <summary>
    /// Cache sequences beyond one per entry: prepare_modules builds on a working copy, and set/fork make the new
    /// cache before the entry it replaces (or the least recently used one) is freed.
    /// </summary>
    public const int WorkingCopies = 2;

    /// <summary>
    /// The layout of a server with <paramref name="slots"/> slots, at most <paramref name="maxEntries"/> named caches
    /// and <paramref name="states"/> conversation states.
    /// </summary>
    public static SequenceLayout ForCaches(int slots, int maxEntries, int states = 0) => new(slots, maxEntries + WorkingCopies, states);

    /// <summary>Every sequence the runtime must provide.</summary>
    public int Total => Slots + CacheSequences + StateSequences;

    /// <summary>The first cache sequence (right after the slots).</summary>
    public int FirstCacheSequence => Slots;

    /// <summary>The cache sequences, in order.</summary>
    public IEnumerable<int> CacheSequenceIds => Enumerable.Range(FirstCacheSequence, CacheSequences);

    /// <summary>The conversation states' sequences, in order (after the caches').</summary>
    public IEnumerable<int> StateSequenceIds => Enumerable.Range(FirstCacheSequence + CacheSequences, StateSequences);

    /// <summary>Whether a sequence belongs to a slot (else it is a cache's or a state's).</summary>
    public bool IsSlot(int sequence) => sequence >= 0 && sequence < Slots;
}
