using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Modules;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>Our documented fold of <c>thinking</c> into prepared keys: one word per reasoning control, none for null.</summary>
public sealed class PromptCacheThinkingFoldTests
{
    [Theory]
    [InlineData("auto", null)]
    [InlineData("on", "on")]
    [InlineData("yes", "on")]
    [InlineData("off", "off")]
    [InlineData("none", "off")]
    [InlineData("minimal", "minimal")]
    [InlineData("LOW", "low")]
    [InlineData("medium", "medium")]
    [InlineData("high", "high")]
    [InlineData("extra-high", "xhigh")]
    public void Each_thinking_word_folds_to_one_word(string thinking, string? expected)
    {
        Assert.True(ReasoningControl.TryParseThinking(thinking, out var control));
        Assert.Equal(expected, PromptCacheThinkingFold.Word(control));
    }

    [Fact]
    public void No_thinking_keeps_upstream_s_seed() =>
        Assert.Equal(PromptCacheKeyDerivation.Seed(1), PromptCacheKeyDerivation.Seed(1, PromptCacheThinkingFold.Word(null)));
}
