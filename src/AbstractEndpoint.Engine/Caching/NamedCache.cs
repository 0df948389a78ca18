namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// A named prompt cache on the local engine: the handle the store keeps for one key. Its state (tokens, residency,
/// conversation) belongs to the inference loop, which publishes it in <see cref="Scheduling.InferenceLoop.Caches"/>
/// under (<see cref="Sequence"/>, <see cref="Owner"/>); this object only says which sequence it holds and what of it
/// has been saved. Touched under the service's cache lock.
/// </summary>
public sealed class NamedCache(int sequence, long owner)
{
    public int Sequence { get; } = sequence;

    /// <summary>Unique per cache: a sequence is reused after its cache is freed, and stale work must not touch the new one.</summary>
    public long Owner { get; } = owner;

    /// <summary>The loop's <see cref="Scheduling.CacheSequenceInfo.Version"/> last written to the cache directory; -1 before the first save.</summary>
    public long SavedVersion { get; set; } = -1;

    /// <summary>Freed (evicted, cleared or replaced); its sequence may already serve another cache.</summary>
    public bool Released { get; set; }

    /// <summary>The key it was saved under, so freeing it also deletes its file.</summary>
    public string? SavedAs { get; set; }
}
