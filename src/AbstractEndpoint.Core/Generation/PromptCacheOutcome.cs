namespace AbstractEndpoint.Core.Generation;

/// <summary>What a reply did with its named prompt cache (AbstractCore's <c>prompt_cache.outcome</c> values).</summary>
public enum PromptCacheOutcome
{
    /// <summary>A key was given but no cache could hold it.</summary>
    Off,

    /// <summary>The cache was empty: the whole prompt was fed.</summary>
    Cold,

    /// <summary>A prompt-only call appended to the warm cache.</summary>
    Append,

    /// <summary>The whole cache was reused and the new suffix fed.</summary>
    HitExtend,

    /// <summary>The prompt was already in the cache: every token but the last was reused.</summary>
    HitFull,

    /// <summary>The cache had been moved to host memory and was restored first.</summary>
    HitRestore,

    /// <summary>The cache diverged from the prompt: only the common prefix (maybe none) was reused.</summary>
    Rebuilt,

    /// <summary>The cache was deliberately not used (the request turned prompt reuse off).</summary>
    Bypassed,
}
