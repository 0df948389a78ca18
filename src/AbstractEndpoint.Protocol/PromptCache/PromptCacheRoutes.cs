namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// The original's control-plane paths. They sit at the root, not under /v1: AbstractCore's gateway proxies to
/// exactly these.
/// </summary>
public static class PromptCacheRoutes
{
    /// <summary>GET, no body.</summary>
    public const string Capabilities = "/acore/prompt_cache/capabilities";

    /// <summary>GET, no body.</summary>
    public const string Stats = "/acore/prompt_cache/stats";

    public const string Set = "/acore/prompt_cache/set";
    public const string Update = "/acore/prompt_cache/update";
    public const string Fork = "/acore/prompt_cache/fork";
    public const string Clear = "/acore/prompt_cache/clear";
    public const string PrepareModules = "/acore/prompt_cache/prepare_modules";
}
