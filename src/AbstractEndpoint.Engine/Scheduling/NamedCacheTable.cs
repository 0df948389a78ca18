using System.Collections.Immutable;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// The one owner of the named caches' sequences: for each, the tokens whose KV cells it holds, where they are (the
/// KV cache, or host memory after a spill), their size, its last use, the conversation they were rendered from, and
/// which cache holds it. Loop thread only; after every change it publishes an immutable
/// <see cref="CacheTableSnapshot"/> for readers on other threads.
/// </summary>
/// <remarks>
/// Invariant: an entry's <c>Tokens</c> are exactly the cells of its sequence (or of its spilled state), position 0
/// first, so a job may copy any prefix of them into its slot.
/// </remarks>
internal sealed class NamedCacheTable(IModelRuntime runtime)
{
    private readonly Dictionary<int, Entry> _entries = [];
    private CacheTableSnapshot _snapshot = CacheTableSnapshot.Empty;
    private long _uses;

    public CacheTableSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Empties a sequence for a new cache.</summary>
    public void Reset(int sequence, long owner)
    {
        runtime.RemoveTokens(sequence, 0, -1);
        _entries[sequence] = new Entry(owner) { LastUse = ++_uses };
        Publish();
    }

    /// <summary>
    /// Makes <paramref name="destination"/> a copy of <paramref name="source"/>: the cells are shared (nothing is
    /// recomputed); a spilled source that cannot come back yet gives the copy its saved state instead.
    /// </summary>
    public void Copy(int source, int destination, long owner, Func<bool> freeIdleSlots)
    {
        var from = _entries.GetValueOrDefault(source) ?? new Entry(-1);
        var resident = EnsureResident(source, freeIdleSlots);
        runtime.RemoveTokens(destination, 0, -1);
        if (resident)
        {
            runtime.CopySequence(source, destination, 0, -1);
        }

        _entries[destination] = new Entry(owner)
        {
            Tokens = [.. from.Tokens],
            Spilled = resident ? null : from.Spilled,
            Conversation = from.Conversation,
            LastUse = ++_uses,
        };
        Publish();
    }

    /// <summary>Restores a saved cache; false when llama.cpp does not accept the state.</summary>
    public bool Restore(int sequence, long owner, byte[] state, IReadOnlyList<int> tokens, CacheConversation conversation)
    {
        runtime.RemoveTokens(sequence, 0, -1);
        if (!runtime.WriteSequenceState(sequence, state))
        {
            return false;
        }

        _entries[sequence] = new Entry(owner) { Tokens = [.. tokens], Conversation = conversation, LastUse = ++_uses };
        Publish();
        return true;
    }

    /// <summary>Frees a sequence's cells and forgets it, if <paramref name="owner"/> still holds it.</summary>
    public void Drop(int sequence, long owner)
    {
        if (_entries.TryGetValue(sequence, out var entry) && entry.Owner == owner)
        {
            runtime.RemoveTokens(sequence, 0, -1);
            _entries.Remove(sequence);
            Publish();
        }
    }

    /// <summary>The cache's KV state, tokens, conversation and version, read together (for a save); null once freed.</summary>
    public (byte[] State, int[] Tokens, CacheConversation Conversation, long Version)? Read(int sequence, long owner) =>
        _entries.TryGetValue(sequence, out var entry) && entry.Owner == owner
            ? (entry.Spilled ?? runtime.ReadSequenceState(sequence), [.. entry.Tokens], entry.Conversation, entry.Version)
            : null;

    /// <summary>
    /// The tokens a job bound to the cache may start from, brought back into the KV cache first if spilled; null
    /// when the cache was freed or cannot come back now (the job then recomputes its prompt).
    /// </summary>
    public IReadOnlyList<int>? ResidentTokens(CacheBinding binding, Func<bool> freeIdleSlots) =>
        _entries.TryGetValue(binding.Sequence, out var entry) && entry.Owner == binding.Owner
            && EnsureResident(binding.Sequence, freeIdleSlots)
            ? entry.Tokens
            : null;

    /// <summary>
    /// After a turn: the cache takes the slot's cells (prompt and reply) and the conversation they came from, in one
    /// step. False (nothing changes) when the bound cache was freed meanwhile.
    /// </summary>
    public bool Advance(CacheBinding binding, int slotSequence, IReadOnlyList<int> slotTokens, CacheConversation conversation)
    {
        if (!_entries.TryGetValue(binding.Sequence, out var entry) || entry.Owner != binding.Owner)
        {
            return false;
        }

        runtime.RemoveTokens(binding.Sequence, 0, -1);
        runtime.CopySequence(slotSequence, binding.Sequence, 0, -1);
        entry.Tokens = [.. slotTokens];
        entry.Spilled = null;
        entry.Conversation = conversation;
        entry.Version++;
        entry.LastUse = ++_uses;
        Publish();
        return true;
    }

    /// <summary>
    /// Moves the least recently used cache that is in the KV cache to host memory (the caller then fits the
    /// host-memory budget, <see cref="HostMemoryBudget"/>). Returns the moved sequence and its token count, or null
    /// when nothing is left to move.
    /// </summary>
    public (int Sequence, int Tokens)? SpillLeastRecent()
    {
        var victim = _entries
            .Where(e => e.Value.Tokens.Count > 0 && e.Value.Spilled is null)
            .OrderBy(e => e.Value.LastUse)
            .Select(e => (int?)e.Key)
            .FirstOrDefault();
        if (victim is not { } sequence)
        {
            return null;
        }

        var entry = _entries[sequence];
        var moved = (sequence, entry.Tokens.Count);
        entry.Spilled = runtime.ReadSequenceState(sequence);
        runtime.RemoveTokens(sequence, 0, -1);
        Publish();
        return moved;
    }

    /// <summary>Bytes of the spilled caches' states held in host memory.</summary>
    public long SpilledBytes => _entries.Values.Sum(e => (long)(e.Spilled?.Length ?? 0));

    /// <summary>
    /// Past the host-memory budget: the least recently used spilled cache loses its cells (its conversation stays:
    /// its next use recomputes it). False when no cache is spilled.
    /// </summary>
    public bool DropOldestSpilled()
    {
        var oldest = _entries.Values.Where(e => e.Spilled is not null).MinBy(e => e.LastUse);
        if (oldest is null)
        {
            return false;
        }

        oldest.Spilled = null;
        oldest.Tokens = [];
        oldest.Version++;
        Publish();
        return true;
    }

    /// <summary>
    /// Marks the cache used and brings it back into the KV cache if spilled; false when llama.cpp has no room for
    /// it even after <paramref name="freeIdleSlots"/> freed the idle slots' reusable prefixes.
    /// </summary>
    private bool EnsureResident(int sequence, Func<bool> freeIdleSlots)
    {
        if (!_entries.TryGetValue(sequence, out var entry))
        {
            return true;
        }

        entry.LastUse = ++_uses;
        if (entry.Spilled is { } state
            && !runtime.WriteSequenceState(sequence, state)
            && !(freeIdleSlots() && runtime.WriteSequenceState(sequence, state)))
        {
            Publish();
            return false;
        }

        entry.Spilled = null;
        Publish();
        return true;
    }

    private void Publish() => Volatile.Write(ref _snapshot, new CacheTableSnapshot(_entries.ToImmutableDictionary(
        e => e.Key,
        e => new CacheSequenceInfo(
            e.Key,
            e.Value.Owner,
            e.Value.Tokens.Count,
            e.Value.Spilled is null ? PromptCacheLocation.Kv : PromptCacheLocation.Ram,
            e.Value.Spilled?.Length ?? 0,
            e.Value.LastUse,
            e.Value.Conversation,
            e.Value.Version,
            StateBytes(e.Key, e.Value)))));

    /// <summary>
    /// The size of a cache's state (what saving it writes): the kept bytes of a spilled one, else llama.cpp's count,
    /// measured again only when the cache changed since (on the loop, where the context may be touched).
    /// </summary>
    private long StateBytes(int sequence, Entry entry)
    {
        if (entry.Spilled is { } spilled)
        {
            return spilled.LongLength;
        }

        if (entry.MeasuredVersion != entry.Version)
        {
            entry.MeasuredBytes = runtime.SequenceStateSize(sequence);
            entry.MeasuredVersion = entry.Version;
        }

        return entry.MeasuredBytes;
    }

    /// <summary>One sequence's mutable record (loop thread only).</summary>
    private sealed class Entry(long owner)
    {
        public long Owner { get; } = owner;

        public List<int> Tokens { get; set; } = [];

        /// <summary>The sequence's saved state while its cells are out of the KV cache.</summary>
        public byte[]? Spilled { get; set; }

        public CacheConversation Conversation { get; set; } = CacheConversation.Empty;

        public long LastUse { get; set; }

        public long Version { get; set; }

        /// <summary>The state size measured at <see cref="MeasuredVersion"/> (-1: never measured).</summary>
        public long MeasuredBytes { get; set; }

        public long MeasuredVersion { get; set; } = -1;
    }
}
