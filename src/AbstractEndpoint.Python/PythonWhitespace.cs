namespace AbstractEndpoint.Python;

/// <summary>Python's <c>str.isspace</c> and <c>str.strip()</c>, whose whitespace set is not .NET's.</summary>
public static class PythonWhitespace
{
    /// <summary>
    /// Python's <c>str.isspace</c> includes the four information separators U+001C–U+001F, which
    /// <see cref="char.IsWhiteSpace(char)"/> does not; every Python whitespace character is in the BMP.
    /// </summary>
    public static bool IsSpace(char c) => c is >= '\x1C' and <= '\x1F' || char.IsWhiteSpace(c);

    /// <summary><see cref="IsSpace(char)"/> for one code point (none beyond the BMP is whitespace).</summary>
    public static bool IsSpace(int codePoint) => codePoint < 0x10000 && IsSpace((char)codePoint);

    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }
}
