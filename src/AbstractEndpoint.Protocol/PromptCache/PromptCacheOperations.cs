namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>The <c>operation</c> names of the control plane's replies, as upstream writes them.</summary>
public static class PromptCacheOperations
{
    public const string Capabilities = "capabilities";
    public const string Stats = "stats";
    public const string Set = "set";
    public const string Update = "update";
    public const string Fork = "fork";
    public const string Clear = "clear";
    public const string PrepareModules = "prepare_modules";

    /// <summary>A chat request's <c>prompt_cache_binding</c> check (its error's <c>details.operation</c>).</summary>
    public const string Binding = "binding";
}
