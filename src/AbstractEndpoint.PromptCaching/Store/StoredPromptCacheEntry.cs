using System.Text.Json.Nodes;

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>The store's mutable record for one key; touched only under the store's lock.</summary>
internal sealed class StoredPromptCacheEntry<TPayload>(
    string key,
    TPayload payload,
    double? ttlSeconds,
    JsonObject meta,
    bool immutable,
    PromptCacheLocation location,
    long timestamp,
    DateTimeOffset utcNow)
{
    public string Key { get; } = key;

    public TPayload Payload { get; set; } = payload;

    public double? TtlSeconds { get; } = ttlSeconds;

    public JsonObject Meta { get; } = meta;

    public bool Immutable { get; } = immutable;

    public PromptCacheLocation Location { get; set; } = location;

    public long Hits { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = utcNow;

    public DateTimeOffset LastUsedAt { get; private set; } = utcNow;

    /// <summary>Monotonic timestamp of the last access: the sliding TTL is measured from here.</summary>
    public long LastAccessTimestamp { get; private set; } = timestamp;

    public void Touch(long timestamp, DateTimeOffset utcNow)
    {
        LastAccessTimestamp = timestamp;
        LastUsedAt = utcNow;
    }

    public PromptCacheEntry<TPayload> Snapshot() =>
        new(Key, Payload, TtlSeconds, (JsonObject)Meta.DeepClone(), Immutable, Location, Hits, CreatedAt, LastUsedAt);

    /// <summary>The meta reported by stats: the original's fields, then the store's bookkeeping.</summary>
    public JsonObject DescribeMeta()
    {
        var described = (JsonObject)Meta.DeepClone();

        // The newest contract's row fields: the tokens held (the engine keeps token_count current) and, when the
        // engine knows it, the bytes of the cache's state.
        described[PromptCacheMetaKeys.FedTokenCount] = Meta[PromptCacheMetaKeys.TokenCount]?.DeepClone() ?? 0;
        described[PromptCacheMetaKeys.Hits] = Hits;
        described[PromptCacheMetaKeys.CreatedAt] = UnixSeconds(CreatedAt);
        described[PromptCacheMetaKeys.LastUsedAt] = UnixSeconds(LastUsedAt);
        described[PromptCacheMetaKeys.Immutable] = Immutable;
        described[PromptCacheMetaKeys.Location] = Location switch
        {
            PromptCacheLocation.Ram => "ram",
            PromptCacheLocation.Disk => "disk",
            _ => "kv",
        };
        return described;
    }

    // Seconds as a float, like the original's time.time() stamps; millisecond precision is plenty.
    private static double UnixSeconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;
}
