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

    // Ours, maintained by the store and appended after the fields above in stats.
    public const string Hits = "hits";
    public const string CreatedAt = "created_at";
    public const string LastUsedAt = "last_used_at";
    public const string Immutable = "immutable";
    public const string Location = "location";

    /// <summary>The backend value the original writes on prepare_modules snapshots.</summary>
    public const string PreparedSnapshotBackend = "provider";
}
