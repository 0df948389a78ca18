namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>Capacity and default expiry of a <see cref="PromptCacheStore{TPayload}"/>.</summary>
public sealed record PromptCacheStoreOptions
{
    public const int DefaultMaxEntries = 32;

    /// <summary>Entries kept before the least recently used is evicted; zero or less means 32, as in the original.</summary>
    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>
    /// Idle seconds after which an entry without its own TTL expires; null never expires. Must be finite: the stats
    /// body reports it and JSON has no infinity.
    /// </summary>
    public double? DefaultTtlSeconds { get; init; }

    /// <summary>The served model, written into every cache's meta (<c>model</c>) for chat bindings to compare; null writes none.</summary>
    public string? Model { get; init; }

    /// <summary>The provider holding the caches, written into every cache's meta (<c>provider</c>); null writes none.</summary>
    public string? Provider { get; init; }
}
