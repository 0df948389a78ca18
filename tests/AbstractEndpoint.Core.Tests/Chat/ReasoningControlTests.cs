using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Core.Tests.Chat;

/// <summary>AbstractCore's <c>thinking</c> and OpenAI's <c>reasoning_effort</c> read into one reasoning control.</summary>
public sealed class ReasoningControlTests
{
    [Theory]
    [InlineData("on", true, null)]
    [InlineData("TRUE", true, null)]
    [InlineData(" yes ", true, null)]
    [InlineData("off", false, null)]
    [InlineData("false", false, null)]
    [InlineData("no", false, null)]
    [InlineData("none", false, null)]
    [InlineData("minimal", true, ReasoningEffort.Minimal)]
    [InlineData("Low", true, ReasoningEffort.Low)]
    [InlineData("medium", true, ReasoningEffort.Medium)]
    [InlineData("high", true, ReasoningEffort.High)]
    [InlineData("xhigh", true, ReasoningEffort.ExtraHigh)]
    [InlineData("extra-high", true, ReasoningEffort.ExtraHigh)]
    [InlineData("x-high", true, ReasoningEffort.ExtraHigh)]
    public void Thinking_words_and_levels_give_a_control(string value, bool enabled, ReasoningEffort? effort)
    {
        Assert.True(ReasoningControl.TryParseThinking(value, out var control));

        Assert.Equal(new ReasoningControl(enabled, effort), control);
    }

    [Fact]
    public void Thinking_auto_leaves_the_template_default()
    {
        Assert.True(ReasoningControl.TryParseThinking("Auto", out var control));

        Assert.Null(control);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("")]
    [InlineData("1")]
    public void Other_thinking_values_are_refused(string value)
    {
        Assert.False(ReasoningControl.TryParseThinking(value, out var control));
        Assert.Null(control);
    }

    [Theory]
    [InlineData("none", false, null)]
    [InlineData("minimal", true, ReasoningEffort.Minimal)]
    [InlineData("LOW", true, ReasoningEffort.Low)]
    [InlineData("medium", true, ReasoningEffort.Medium)]
    [InlineData("high", true, ReasoningEffort.High)]
    [InlineData("xhigh", true, ReasoningEffort.ExtraHigh)]
    public void Reasoning_effort_levels_give_a_control(string value, bool enabled, ReasoningEffort? effort)
    {
        Assert.True(ReasoningControl.TryParseEffort(value, out var control));

        Assert.Equal(new ReasoningControl(enabled, effort), control);
    }

    [Theory]
    [InlineData("on")] // an AbstractCore word, not an OpenAI level
    [InlineData("extra-high")] // an alias of thinking only
    [InlineData("auto")]
    public void Reasoning_effort_accepts_only_openai_levels(string value)
    {
        Assert.False(ReasoningControl.TryParseEffort(value, out var control));
        Assert.Null(control);
    }
}
