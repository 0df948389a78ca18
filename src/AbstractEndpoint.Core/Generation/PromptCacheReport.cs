namespace AbstractEndpoint.Core.Generation;

/// <summary>How a reply used the named prompt cache it was bound to.</summary>
/// <param name="Key">The cache key that applied.</param>
/// <param name="Outcome">What was done with the cache.</param>
/// <param name="CachedTokens">Prompt tokens whose KV cells came from the cache.</param>
/// <param name="FedTokens">Prompt tokens computed for this reply.</param>
public sealed record PromptCacheReport(string Key, PromptCacheOutcome Outcome, int CachedTokens, int FedTokens);
