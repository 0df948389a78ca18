using System.Text.Json.Nodes;

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>A point-in-time copy of one store entry; changing it (or its meta) does not change the store.</summary>
public sealed class PromptCacheEntry<TPayload>
{
    internal PromptCacheEntry(
        string key,
        TPayload payload,
        double? ttlSeconds,
        JsonObject meta,
        bool immutable,
        PromptCacheLocation location,
        long hits,
        DateTimeOffset createdAt,
        DateTimeOffset lastUsedAt)
    {
        Key = key;
        Payload = payload;
        TtlSeconds = ttlSeconds;
        Meta = meta;
        Immutable = immutable;
        Location = location;
        Hits = hits;
        CreatedAt = createdAt;
        LastUsedAt = lastUsedAt;
    }

    public string Key { get; }

    /// <summary>The engine's state for this key (e.g. a KV sequence handle); the store never looks inside.</summary>
    public TPayload Payload { get; }

    /// <summary>This entry's idle expiry in seconds; null uses the store's default.</summary>
    public double? TtlSeconds { get; }

    /// <summary>The original's meta fields (backend, forked_from, namespace, …) in insertion order.</summary>
    public JsonObject Meta { get; }

    /// <summary>A prepare_modules snapshot: its key is the hash of its content, so it must be forked, not appended to.</summary>
    public bool Immutable { get; }

    public PromptCacheLocation Location { get; }

    /// <summary>Successful lookups since the entry was stored.</summary>
    public long Hits { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset LastUsedAt { get; }
}
