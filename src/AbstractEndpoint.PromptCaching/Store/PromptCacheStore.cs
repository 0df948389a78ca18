using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>
/// Named prompt caches: an ordered LRU of at most <see cref="MaxEntries"/> entries, each holding an opaque payload
/// the engine owns, with an optional sliding TTL (measured from the last access) and a default key. Semantics are
/// the original's <c>PromptCacheStore</c> plus the provider's default key.
/// </summary>
/// <remarks>
/// Thread-safe: one lock guards everything, so the HTTP layer may read stats while the engine mutates.
/// The store never frees a payload. Every entry that leaves it (evicted, expired, deleted, cleared, or replaced by
/// a different payload) is queued, and the engine takes the queue with <see cref="TakeRemoved"/> at a point where it
/// may touch its KV cache: expiry can be discovered by a stats read on an HTTP thread, where freeing would race
/// the decoder. Expired entries are purged before every lookup, insert and stats read.
/// </remarks>
public sealed class PromptCacheStore<TPayload>
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, StoredPromptCacheEntry<TPayload>> _entries = new(StringComparer.Ordinal);
    private readonly List<PromptCacheRemoval<TPayload>> _removed = [];
    private readonly TimeProvider _time;
    private readonly string? _model;
    private readonly string? _provider;
    private string? _defaultKey;

    public PromptCacheStore(PromptCacheStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new PromptCacheStoreOptions();
        if (options.DefaultTtlSeconds is { } ttl && !double.IsFinite(ttl))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ttl, "The default TTL must be a finite number of seconds.");
        }

        MaxEntries = options.MaxEntries > 0 ? options.MaxEntries : PromptCacheStoreOptions.DefaultMaxEntries;
        _model = options.Model;
        _provider = options.Provider;
        DefaultTtlSeconds = options.DefaultTtlSeconds;
        _time = timeProvider ?? TimeProvider.System;
    }

    public int MaxEntries { get; }

    public double? DefaultTtlSeconds { get; }

    /// <summary>
    /// The key generations use when they name none. Eviction or expiry of its entry does not unset it (as in the
    /// original, the next generation simply recreates the cache); deleting that key or clearing the store does.
    /// </summary>
    public string? DefaultKey
    {
        get
        {
            lock (_gate)
            {
                return _defaultKey;
            }
        }
    }

    /// <summary>Live entries (expired ones are purged first).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                PurgeExpired(_time.GetTimestamp());
                return _entries.Count;
            }
        }
    }

    /// <summary>Live keys, least recently used first.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate)
            {
                PurgeExpired(_time.GetTimestamp());
                return [.. _entries.Keys];
            }
        }
    }

    /// <summary>
    /// Looks a key up and, when found, marks it used: it becomes the most recent entry, its TTL clock restarts and
    /// its hit count grows. An expired entry is removed and not found.
    /// </summary>
    public bool TryGet(string? key, [NotNullWhen(true)] out PromptCacheEntry<TPayload>? entry)
    {
        entry = null;
        var normalized = PromptCacheKeys.Normalize(key);
        if (normalized is null)
        {
            return false;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            PurgeExpired(now);
            if (!_entries.Remove(normalized, out var stored))
            {
                return false;
            }

            stored.Touch(now, _time.GetUtcNow());
            stored.Hits++;
            _entries.Add(normalized, stored);
            entry = stored.Snapshot();
            return true;
        }
    }

    /// <summary>Looks a key up without using it: recency, TTL clock and hits stay as they are.</summary>
    public bool TryPeek(string? key, [NotNullWhen(true)] out PromptCacheEntry<TPayload>? entry)
    {
        entry = null;
        var normalized = PromptCacheKeys.Normalize(key);
        if (normalized is null)
        {
            return false;
        }

        lock (_gate)
        {
            PurgeExpired(_time.GetTimestamp());
            if (!_entries.TryGetValue(normalized, out var stored))
            {
                return false;
            }

            entry = stored.Snapshot();
            return true;
        }
    }

    /// <summary>
    /// Stores a payload under a key as the most recent entry, then evicts least recently used entries beyond
    /// capacity. An existing entry under the key is replaced (queued as <see cref="PromptCacheRemovalReason.Replaced"/>
    /// unless it holds the very same payload, in which case this only renews it: new TTL and meta, hits and creation
    /// time kept). The meta is copied.
    /// </summary>
    /// <returns>The stored entry.</returns>
    /// <exception cref="ArgumentException">The key is blank.</exception>
    public PromptCacheEntry<TPayload> Set(
        string key,
        TPayload payload,
        double? ttlSeconds = null,
        JsonObject? meta = null,
        bool immutable = false,
        PromptCacheLocation location = PromptCacheLocation.Kv)
    {
        var normalized = PromptCacheKeys.Normalize(key)
            ?? throw new ArgumentException("prompt cache key must be a non-empty string", nameof(key));
        var copiedMeta = meta is null ? [] : (JsonObject)meta.DeepClone();
        Stamp(copiedMeta);

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            PurgeExpired(now);
            var stored = new StoredPromptCacheEntry<TPayload>(
                normalized, payload, ttlSeconds, copiedMeta, immutable, location, now, _time.GetUtcNow());
            if (_entries.Remove(normalized, out var previous))
            {
                if (EqualityComparer<TPayload>.Default.Equals(previous.Payload, payload))
                {
                    stored.Hits = previous.Hits;
                    stored.CreatedAt = previous.CreatedAt;
                }
                else
                {
                    _removed.Add(new(previous.Snapshot(), PromptCacheRemovalReason.Replaced));
                }
            }

            _entries.Add(normalized, stored);
            while (_entries.Count > MaxEntries)
            {
                var oldest = _entries.GetAt(0).Value;
                _entries.RemoveAt(0);
                _removed.Add(new(oldest.Snapshot(), PromptCacheRemovalReason.Evicted));
            }

            return stored.Snapshot();
        }
    }

    /// <summary>
    /// Removes a key, and unsets the default key if it names it (whether or not the entry existed).
    /// Like the original, an entry that has expired but not yet been purged still counts as existing.
    /// </summary>
    /// <returns>Whether an entry was removed.</returns>
    public bool Delete(string? key)
    {
        var normalized = PromptCacheKeys.Normalize(key);
        if (normalized is null)
        {
            return false;
        }

        lock (_gate)
        {
            if (string.Equals(_defaultKey, normalized, StringComparison.Ordinal))
            {
                _defaultKey = null;
            }

            if (!_entries.Remove(normalized, out var removed))
            {
                return false;
            }

            _removed.Add(new(removed.Snapshot(), PromptCacheRemovalReason.Deleted));
            return true;
        }
    }

    /// <summary>Drops every entry and the default key.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var stored in _entries.Values)
            {
                _removed.Add(new(stored.Snapshot(), PromptCacheRemovalReason.Cleared));
            }

            _entries.Clear();
            _defaultKey = null;
        }
    }

    /// <summary>Sets (or, with a blank key, unsets) the default key; the key need not exist.</summary>
    public void SetDefaultKey(string? key)
    {
        var normalized = PromptCacheKeys.Normalize(key);
        lock (_gate)
        {
            _defaultKey = normalized;
        }
    }

    /// <summary>Sets one meta field of an entry (e.g. a token count that grew) without using the entry.</summary>
    public bool TrySetMeta(string? key, string name, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = PromptCacheKeys.Normalize(key);
        if (normalized is null)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_entries.TryGetValue(normalized, out var stored))
            {
                return false;
            }

            stored.Meta[name] = value?.DeepClone();
            return true;
        }
    }

    /// <summary>
    /// Records that the engine moved an entry's state (e.g. saved a KV sequence to RAM): the payload and location
    /// change, nothing else does. The old payload is not queued; the caller made the move and owns it.
    /// </summary>
    public bool TryRelocate(string? key, TPayload payload, PromptCacheLocation location)
    {
        var normalized = PromptCacheKeys.Normalize(key);
        if (normalized is null)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_entries.TryGetValue(normalized, out var stored))
            {
                return false;
            }

            stored.Payload = payload;
            stored.Location = location;
            return true;
        }
    }

    /// <summary>The original's stats, after purging expired entries; meta includes the store's bookkeeping.</summary>
    public PromptCacheStats GetStats()
    {
        lock (_gate)
        {
            PurgeExpired(_time.GetTimestamp());
            var keys = new List<string>(_entries.Count);
            var metaByKey = new List<KeyValuePair<string, JsonObject>>(_entries.Count);
            foreach (var (key, stored) in _entries)
            {
                keys.Add(key);
                var meta = stored.DescribeMeta();
                if (meta.Count > 0)
                {
                    metaByKey.Add(new(key, meta));
                }
            }

            return new PromptCacheStats(_entries.Count, MaxEntries, DefaultTtlSeconds, _defaultKey, keys, metaByKey);
        }
    }

    /// <summary>Takes (and forgets) the entries that left the store since the last call, oldest first.</summary>
    public IReadOnlyList<PromptCacheRemoval<TPayload>> TakeRemoved()
    {
        lock (_gate)
        {
            if (_removed.Count == 0)
            {
                return [];
            }

            var taken = _removed.ToArray();
            _removed.Clear();
            return taken;
        }
    }

    /// <summary>
    /// Gives a cache the identity every row reports: a <c>binding_id</c> and a <c>created_at_s</c> when its meta has
    /// none (a new cache, a fork, or one saved by the previous version), and the served model and provider.
    /// </summary>
    private void Stamp(JsonObject meta)
    {
        if (meta[PromptCacheMetaKeys.BindingId] is null)
        {
            meta[PromptCacheMetaKeys.BindingId] = "pcb_" + Guid.NewGuid().ToString("N");
        }

        if (meta[PromptCacheMetaKeys.CreatedAtSeconds] is null)
        {
            meta[PromptCacheMetaKeys.CreatedAtSeconds] = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        }

        if (_model is not null && meta[PromptCacheMetaKeys.Model] is null)
        {
            meta[PromptCacheMetaKeys.Model] = _model;
        }

        if (_provider is not null && meta[PromptCacheMetaKeys.Provider] is null)
        {
            meta[PromptCacheMetaKeys.Provider] = _provider;
        }
    }

    private void PurgeExpired(long now)
    {
        List<string>? expired = null;
        foreach (var (key, stored) in _entries)
        {
            if (IsExpired(stored, now))
            {
                (expired ??= []).Add(key);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var key in expired)
        {
            _entries.Remove(key, out var stored);
            _removed.Add(new(stored!.Snapshot(), PromptCacheRemovalReason.Expired));
        }
    }

    /// <summary>
    /// Idle strictly longer than the entry's TTL (or the default). A NaN or infinite TTL never expires and a negative
    /// one expires at once, as Python's comparison does.
    /// </summary>
    private bool IsExpired(StoredPromptCacheEntry<TPayload> stored, long now)
    {
        var ttl = stored.TtlSeconds ?? DefaultTtlSeconds;
        return ttl is { } seconds && _time.GetElapsedTime(stored.LastAccessTimestamp, now).TotalSeconds > seconds;
    }
}
