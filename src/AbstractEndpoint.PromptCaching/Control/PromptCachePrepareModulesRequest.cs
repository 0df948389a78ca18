using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// POST /acore/prompt_cache/prepare_modules: <c>namespace</c> and <c>modules</c> (a list of objects) required,
/// <c>make_default</c> (false), <c>ttl_s</c>, <c>version</c> (1), <c>thinking</c>. Module objects are kept as sent:
/// their own rules (an unknown field fails the call, …) are applied by the normaliser, and their keys are hashed
/// from them, as in the original. <see cref="Reader"/> reads a module's messages and tools when it is appended.
/// </summary>
public sealed record PromptCachePrepareModulesRequest(
    string Namespace,
    IReadOnlyList<JsonElement> Modules,
    bool MakeDefault = false,
    double? TtlSeconds = null,
    long Version = 1)
{
    /// <summary>The wire format's reading of a module's messages and tools.</summary>
    public required IPromptCacheFragmentReader Reader { get; init; }

    /// <summary>The modules' reasoning control (<c>thinking</c>): rendered as chat renders it, and folded into the keys.</summary>
    public ReasoningControl? Reasoning { get; init; }
}
