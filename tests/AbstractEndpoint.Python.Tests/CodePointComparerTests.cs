namespace AbstractEndpoint.Python.Tests;

public sealed class CodePointComparerTests
{
    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("ab", "a", 1)]
    [InlineData("", "", 0)]
    // An astral character (a surrogate pair in UTF-16) sorts after U+E000..U+FFFF, as in Python, unlike ordinal order.
    [InlineData("\U0001F600", "\uFFFD", 1)]
    [InlineData("\uE000", "\U00010000", -1)]
    public void Orders_by_code_point(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(CodePointComparer.Instance.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(CodePointComparer.Instance.Compare(right, left)));
    }

    [Fact]
    public void A_lone_surrogate_is_its_own_code_point()
    {
        // Built in code: xunit's theory data would turn a lone surrogate into U+FFFD. Python: '\ud800' < '\ue000'
        // and '\udc00' < '\U0001f600', though a surrogate pair's UTF-16 units compare above U+E000.
        var highAlone = new string('\uD800', 1);
        var lowAlone = new string('\uDC00', 1);
        Assert.True(CodePointComparer.Instance.Compare(highAlone, "\uE000") < 0);
        Assert.True(CodePointComparer.Instance.Compare(lowAlone, "\U0001F600") < 0);
        Assert.True(CodePointComparer.Instance.Compare("\U0001F600", lowAlone) > 0);
    }
}
