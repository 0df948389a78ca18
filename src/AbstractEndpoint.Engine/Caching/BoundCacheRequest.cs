using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>A chat request placed in its named cache: the full messages to render, and the KV binding.</summary>
public sealed record BoundCacheRequest(ChatRequest Request, CacheBinding Binding)
{
    /// <summary>The key the request resolved to (its own, or the default key).</summary>
    public string Key { get; init; } = "";

    /// <summary>Tokens the cache held when the request was bound, for the reply's prompt-cache outcome.</summary>
    public int TokensAtBind { get; init; }

    /// <summary>Whether the cache was in host memory (spilled) when the request was bound.</summary>
    public bool SpilledAtBind { get; init; }
}
