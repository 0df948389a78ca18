namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>The values stats report as a cache's <c>location</c>.</summary>
public static class PromptCacheLocationName
{
    public const string Kv = "kv";
    public const string Ram = "ram";
}
