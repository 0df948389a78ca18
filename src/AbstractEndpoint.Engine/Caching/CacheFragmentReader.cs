using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// Turns a control-plane fragment (raw JSON messages and tools, as the original's bodies carry them) into domain
/// messages; supplied by the host, which owns the wire format.
/// </summary>
public delegate (IReadOnlyList<ChatMessage> Messages, IReadOnlyList<ToolDefinition> Tools) CacheFragmentReader(PromptCacheFragment fragment);
