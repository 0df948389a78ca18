using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// A control-plane body we cannot accept (not JSON, not an object, a missing or mistyped field). The host answers
/// 400 with its OpenAI-style error envelope; the original answered FastAPI's 422 <c>{"detail": […]}</c>.
/// </summary>
public sealed class PromptCacheRequestException(string message, string? param, string code, Exception? inner = null)
    : InvalidRequestException(message, param, code, inner);
