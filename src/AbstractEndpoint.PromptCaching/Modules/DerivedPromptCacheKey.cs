namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// The cache key of the prefix ending with <c>Module</c>: <c>namespace:h[0:32]</c> where h chains the module hashes
/// of every module up to and including this one. <c>Index</c> is the module's position (the original's meta "index").
/// </summary>
public sealed record DerivedPromptCacheKey(int Index, PromptCacheModule Module, string CacheKey, string ModuleHash);
