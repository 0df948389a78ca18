namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>POST /acore/prompt_cache/fork: <c>from_key</c>, <c>to_key</c> (required), <c>make_default</c> (false), <c>ttl_s</c>.</summary>
public sealed record PromptCacheForkRequest(string FromKey, string ToKey, bool MakeDefault = false, double? TtlSeconds = null);
