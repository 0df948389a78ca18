using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// Names what a reply did with its named cache, from what the cache held when the request was bound and what the
/// reply reused (llama.cpp reuses the longest common token prefix, and always re-feeds the last prompt token).
/// </summary>
public static class PromptCacheOutcomeRule
{
    /// <param name="tokensAtBind">Tokens the cache held when the request was bound.</param>
    /// <param name="spilledAtBind">Whether the cache was in host memory then (restored before use).</param>
    /// <param name="reuseAllowed">False when the request turned prompt reuse off (<c>cache_prompt: false</c>).</param>
    /// <param name="promptTokens">Tokens of the rendered prompt.</param>
    /// <param name="cachedTokens">Prompt tokens reused.</param>
    public static PromptCacheOutcome Classify(int tokensAtBind, bool spilledAtBind, bool reuseAllowed, int promptTokens, int cachedTokens)
    {
        if (!reuseAllowed)
        {
            return PromptCacheOutcome.Bypassed;
        }

        if (tokensAtBind == 0)
        {
            return PromptCacheOutcome.Cold;
        }

        if (cachedTokens == 0)
        {
            return PromptCacheOutcome.Rebuilt;
        }

        if (spilledAtBind)
        {
            return PromptCacheOutcome.HitRestore;
        }

        if (cachedTokens + 1 >= promptTokens)
        {
            return PromptCacheOutcome.HitFull;
        }

        // The whole cache was a prefix of the prompt: only the new suffix was fed. Less than that: the prompt
        // diverged inside the cache, whose tail is replaced by this turn.
        return cachedTokens >= tokensAtBind ? PromptCacheOutcome.HitExtend : PromptCacheOutcome.Rebuilt;
    }
}
