using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>What a reply did with its cache, from what the cache held and what the reply reused.</summary>
public sealed class PromptCacheOutcomeRuleTests
{
    [Theory]
    [InlineData(0, false, true, 30, 0, PromptCacheOutcome.Cold)]
    [InlineData(20, false, true, 30, 20, PromptCacheOutcome.HitExtend)]
    [InlineData(30, false, true, 30, 29, PromptCacheOutcome.HitFull)]
    [InlineData(40, false, true, 30, 29, PromptCacheOutcome.HitFull)]
    [InlineData(20, true, true, 30, 20, PromptCacheOutcome.HitRestore)]
    [InlineData(20, false, true, 30, 12, PromptCacheOutcome.Rebuilt)]
    [InlineData(20, false, true, 30, 0, PromptCacheOutcome.Rebuilt)]
    [InlineData(20, true, true, 30, 0, PromptCacheOutcome.Rebuilt)]
    [InlineData(20, false, false, 30, 0, PromptCacheOutcome.Bypassed)]
    [InlineData(0, false, false, 30, 0, PromptCacheOutcome.Bypassed)]
    public void Classifies_each_case(int held, bool spilled, bool reuse, int prompt, int cached, PromptCacheOutcome expected) =>
        Assert.Equal(expected, PromptCacheOutcomeRule.Classify(held, spilled, reuse, prompt, cached));
}
