namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>POST /acore/prompt_cache/clear: <c>key</c>; absent, null or blank clears everything.</summary>
public sealed record PromptCacheClearRequest(string? Key = null);
