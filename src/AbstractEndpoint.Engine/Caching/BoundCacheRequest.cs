using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>A chat request placed in its named cache: the full messages to render, and the KV binding.</summary>
public sealed record BoundCacheRequest(ChatRequest Request, CacheBinding Binding);
