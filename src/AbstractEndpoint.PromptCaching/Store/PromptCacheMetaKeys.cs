namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>Names of the meta fields: the original's first, then the bookkeeping we add to stats.</summary>
public static class PromptCacheMetaKeys
{
    /// <summary>"llama_cpp"/"mlx" for caches made by set; "provider" for prepare_modules snapshots (the original's base class).</summary>
    public const string Backend = "backend";

    /// <summary>Set by fork when absent, so it names the first ancestor of a chain of forks.</summary>
    public const string ForkedFrom = "forked_from";

    public const string Namespace = "namespace";
    public const string ModuleId = "module_id";
    public const string ModuleHash = "module_hash";
    public const string Index = "index";
    public const string TokenCount = "token_count";

    /// <summary>Minted by the store for each new cache (a fork is a new cache); a chat's <c>prompt_cache_binding</c> names it.</summary>
    public const string BindingId = "binding_id";

    /// <summary>When the cache was made (Unix seconds, a float); kept in the meta so it survives a restart.</summary>
    public const string CreatedAtSeconds = "created_at_s";

    /// <summary>The served model and the provider that holds the cache, compared by a chat's <c>prompt_cache_binding</c>.</summary>
    public const string Model = "model";

    public const string Provider = "provider";

    /// <summary>Stats only: tokens held in the cache (the original's private <c>fed_token_ids</c>, counted).</summary>
    public const string FedTokenCount = "fed_token_count";

    /// <summary>Stats only, when known: the bytes the cache's state takes.</summary>
    public const string Bytes = "bytes";

    // Ours, maintained by the store and appended after the fields above in stats.
    public const string Hits = "hits";
    public const string CreatedAt = "created_at";
    public const string LastUsedAt = "last_used_at";
    public const string Immutable = "immutable";
    public const string Location = "location";

    /// <summary>The backend value the original writes on prepare_modules snapshots.</summary>
    public const string PreparedSnapshotBackend = "provider";
}
