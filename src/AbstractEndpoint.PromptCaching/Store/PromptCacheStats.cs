using System.Text.Json.Nodes;

namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>
/// The original's stats dict: entries, max_entries, default_ttl_s, default_key, keys (oldest → newest) and
/// meta_by_key (keys whose meta is non-empty, in key order).
/// </summary>
public sealed record PromptCacheStats(
    int Entries,
    int MaxEntries,
    double? DefaultTtlSeconds,
    string? DefaultKey,
    IReadOnlyList<string> Keys,
    IReadOnlyList<KeyValuePair<string, JsonObject>> MetaByKey);
