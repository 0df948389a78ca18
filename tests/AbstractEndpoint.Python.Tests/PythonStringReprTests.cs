namespace AbstractEndpoint.Python.Tests;

public sealed class PythonStringReprTests
{
    [Theory]
    [InlineData("abc", "'abc'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("'\"", "'\\'\"'")]
    [InlineData("a\\b", "'a\\\\b'")]
    [InlineData("\u0000\t\n\r\u007f\u00a0é\u200b", "'\\x00\\t\\n\\r\\x7f\\xa0é\\u200b'")]
    [InlineData("\U000e0001\U0001F600", "'\\U000e0001\U0001F600'")]
    public void Repr_matches_python(string text, string expected)
    {
        Assert.Equal(expected, PythonStringRepr.Repr(text));
    }

    [Fact]
    public void A_lone_surrogate_is_escaped()
    {
        // Built in code: xunit's theory data would turn a lone surrogate into U+FFFD.
        Assert.Equal("'\\ud800x'", PythonStringRepr.Repr(new string('\uD800', 1) + "x"));
    }

    [Theory]
    [InlineData(' ', true)]
    [InlineData('a', true)]
    [InlineData(0xA0, false)]
    [InlineData(0x2028, false)]
    [InlineData(0xE000, false)]
    [InlineData(0xD800, false)]
    [InlineData(0x1F600, true)]
    public void Printable_matches_str_isprintable(int codePoint, bool expected)
    {
        Assert.Equal(expected, PythonStringRepr.IsPrintable(codePoint));
    }
}
