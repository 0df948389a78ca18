namespace AbstractEndpoint.PromptCaching;

/// <summary>The original's <c>error</c> texts for <c>{"supported": false, "error": …}</c>, verbatim (clients match on them).</summary>
public static class PromptCacheMessages
{
    /// <summary>GET stats on a provider without caching.</summary>
    public const string StatsUnsupported = "provider does not expose prompt cache stats";

    /// <summary>set/update/fork/clear on a provider without caching.</summary>
    public const string ControlPlaneUnsupported = "provider does not support prompt cache control plane";

    /// <summary>prepare_modules on a provider without the method.</summary>
    public const string PrepareModulesUnsupported = "provider does not support prompt cache module preparation";

    /// <summary>prepare_modules on a provider whose <c>supports_prompt_cache()</c> is false.</summary>
    public const string ProviderUnsupported = "provider does not support prompt caching";

    public const string NamespaceRequired = "namespace required";
    public const string NoModules = "no modules provided";

    public static string AppendFailed(string moduleId) => $"failed to append module '{moduleId}'";
}
