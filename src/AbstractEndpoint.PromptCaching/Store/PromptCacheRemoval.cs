namespace AbstractEndpoint.PromptCaching.Store;

/// <summary>An entry that left the store, with its payload, for the engine to free.</summary>
public readonly record struct PromptCacheRemoval<TPayload>(PromptCacheEntry<TPayload> Entry, PromptCacheRemovalReason Reason);
