namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// One host-memory budget (<c>--cache-ram</c>) for everything the loop keeps out of the KV cache: the automatic
/// prompt cache's entries and the named caches spilled from a full KV cache. Past it, automatic entries go first
/// (least recently used first): they are only a guess at what comes back, while a named cache is a client's
/// explicit request; then the least recently used spilled named caches lose their cells (their conversation stays,
/// so their next use recomputes it). Loop thread only.
/// </summary>
internal sealed class HostMemoryBudget(long bytes, HostPromptCache automatic, NamedCacheTable named)
{
    /// <summary>The budget in bytes; 0 keeps nothing in host memory.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>Whether a state of <paramref name="size"/> bytes could be kept at all.</summary>
    public bool CouldHold(long size) => size <= Bytes;

    /// <summary>Whether a state of <paramref name="size"/> bytes fits beside what is held, evicting nothing.</summary>
    public bool HasRoomFor(long size) => Used + size <= Bytes;

    /// <summary>Bytes held now, both kinds together.</summary>
    public long Used => automatic.Bytes + named.SpilledBytes;

    /// <summary>Evicts, in the budget's order, until what is held fits.</summary>
    public void Fit()
    {
        while (Used > Bytes && (automatic.EvictLeastRecent() || named.DropOldestSpilled()))
        {
        }
    }
}
