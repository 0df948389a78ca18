using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.PromptCaching.Control;

namespace AbstractEndpoint.PromptCaching.Binding;

/// <summary>
/// A chat request's <c>prompt_cache_binding</c> does not hold: a 400 (<see cref="IsConflict"/> false: the request
/// itself is wrong) or a 409 (the cache is gone or is not the one the client bound to). The host answers it in its
/// OpenAI error envelope with <see cref="EndpointException.Code"/> and AbstractCore's <c>details</c>.
/// </summary>
public sealed class PromptCacheBindingException(string code, string message, bool isConflict, PromptCacheCapabilities capabilities)
    : EndpointException(message, "prompt_cache_binding", code)
{
    /// <summary>409 (missing, mismatch) rather than 400.</summary>
    public bool IsConflict { get; } = isConflict;

    /// <summary>The control plane's capabilities, for the error's <c>details</c>.</summary>
    public PromptCacheCapabilities Capabilities { get; } = capabilities;
}
