namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// The automatic prompt cache in host memory: slots' KV cells saved (llama.cpp's per-sequence state) when the slot
/// moves on to another prompt or the KV cache needs room, so a later prompt sharing a long prefix with one of them
/// restores it instead of recomputing. Entries are kept least recently used first and carry the isolation tag
/// they were computed under: an entry is only ever found for a prompt under the same tag. Loop thread only; the
/// shared host-memory budget (<see cref="HostMemoryBudget"/>) evicts from here first.
/// </summary>
internal sealed class HostPromptCache
{
    // Least recently used first: eviction takes the head, a use moves an entry to the tail.
    private readonly LinkedList<Entry> _entries = new();
    private long _bytes;

    /// <summary>Bytes of state held.</summary>
    public long Bytes => _bytes;

    /// <summary>Entries held.</summary>
    public int Count => _entries.Count;

    /// <summary>Whether an entry under <paramref name="isolationTag"/> already holds every one of <paramref name="tokens"/> (saving them would only mark it used).</summary>
    public bool Holds(IReadOnlyList<int> tokens, string? isolationTag)
    {
        foreach (var entry in _entries)
        {
            if (SameTag(entry, isolationTag) && SlotSelector.CommonPrefixLength(entry.Tokens, tokens) == tokens.Count)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Keeps a copy of a sequence's cells. An entry the new one extends is replaced by it; when an entry already
    /// holds these tokens (or extends them) it is only marked used, and <paramref name="readState"/> is not called.
    /// </summary>
    public void Save(IReadOnlyList<int> tokens, string? isolationTag, Func<byte[]> readState)
    {
        for (var node = _entries.First; node is not null;)
        {
            var next = node.Next;
            var entry = node.Value;
            if (SameTag(entry, isolationTag))
            {
                var shared = SlotSelector.CommonPrefixLength(entry.Tokens, tokens);
                if (shared == tokens.Count)
                {
                    Touch(node); // Nothing new: this entry already holds every token (and maybe more).
                    return;
                }

                if (shared == entry.Tokens.Length)
                {
                    Remove(node); // The new entry holds all of this one's tokens and more.
                }
            }

            node = next;
        }

        var state = readState();
        _entries.AddLast(new Entry([.. tokens], state, isolationTag));
        _bytes += state.LongLength;
    }

    /// <summary>
    /// The entry under <paramref name="isolationTag"/> sharing the longest prefix with <paramref name="prompt"/>,
    /// and that prefix's length; null when none shares more than <paramref name="atLeast"/> - 1 tokens.
    /// </summary>
    public (Entry Entry, int Prefix)? FindLongestPrefix(IReadOnlyList<int> prompt, string? isolationTag, int atLeast)
    {
        (Entry Entry, int Prefix)? best = null;
        foreach (var entry in _entries)
        {
            if (!SameTag(entry, isolationTag))
            {
                continue;
            }

            var prefix = SlotSelector.CommonPrefixLength(entry.Tokens, prompt);
            if (prefix >= atLeast && prefix > (best?.Prefix ?? 0))
            {
                best = (entry, prefix);
            }
        }

        return best;
    }

    /// <summary>Marks an entry used (it becomes the last to be evicted).</summary>
    public void Touch(Entry entry)
    {
        if (_entries.Find(entry) is { } node)
        {
            Touch(node);
        }
    }

    /// <summary>Drops the least recently used entry; false when there is none.</summary>
    public bool EvictLeastRecent()
    {
        if (_entries.First is not { } oldest)
        {
            return false;
        }

        Remove(oldest);
        return true;
    }

    private void Touch(LinkedListNode<Entry> node)
    {
        _entries.Remove(node);
        _entries.AddLast(node);
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _entries.Remove(node);
        _bytes -= node.Value.State.LongLength;
    }

    private static bool SameTag(Entry entry, string? isolationTag) =>
        string.Equals(entry.IsolationTag, isolationTag, StringComparison.Ordinal);

    /// <summary>One saved sequence: its tokens (position 0 first), llama.cpp's state of exactly those cells, and whose they are.</summary>
    internal sealed record Entry(int[] Tokens, byte[] State, string? IsolationTag);
}
