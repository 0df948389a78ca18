namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>A module's advisory sharing scope; the original hashes it as "private" or "shared".</summary>
public enum PromptCacheScope
{
    Private,
    Shared,
}
