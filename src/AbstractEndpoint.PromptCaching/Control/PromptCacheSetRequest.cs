namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>POST /acore/prompt_cache/set: <c>key</c> (required), <c>make_default</c> (true), <c>ttl_s</c>.</summary>
public sealed record PromptCacheSetRequest(string Key, bool MakeDefault = true, double? TtlSeconds = null);
