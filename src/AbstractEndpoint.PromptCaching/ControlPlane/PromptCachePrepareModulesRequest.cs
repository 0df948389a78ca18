using System.Text.Json;

namespace AbstractEndpoint.PromptCaching.ControlPlane;

/// <summary>
/// POST /acore/prompt_cache/prepare_modules: <c>namespace</c> and <c>modules</c> (a list of objects) required,
/// <c>make_default</c> (false), <c>ttl_s</c>, <c>version</c> (1). Module objects are kept as sent: their own rules
/// (unknown field → module skipped, …) are applied by the normaliser, as in the original.
/// </summary>
public sealed record PromptCachePrepareModulesRequest(
    string Namespace,
    IReadOnlyList<JsonElement> Modules,
    bool MakeDefault = false,
    double? TtlSeconds = null,
    long Version = 1);
