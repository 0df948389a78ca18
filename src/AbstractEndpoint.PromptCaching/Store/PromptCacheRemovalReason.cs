namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>Why an entry left the store (its payload is now the owner's to free).</summary>
public enum PromptCacheRemovalReason
{
    /// <summary>Pushed out by an insert beyond capacity (least recently used first).</summary>
    Evicted,

    /// <summary>Idle longer than its TTL.</summary>
    Expired,

    /// <summary>Removed by key (the control plane's <c>clear</c> with a key).</summary>
    Deleted,

    /// <summary>Removed by clearing the whole store.</summary>
    Cleared,

    /// <summary>Its key was set again with a different payload.</summary>
    Replaced,
}
