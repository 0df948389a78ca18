namespace AbstractEndpoint.PromptCaching.Python;

/// <summary>Python's <c>str.strip()</c>, whose whitespace set is not .NET's.</summary>
internal static class PythonText
{
    /// <summary>
    /// Python's <c>str.isspace</c> includes the four information separators U+001C–U+001F, which
    /// <see cref="char.IsWhiteSpace(char)"/> does not; every Python whitespace character is in the BMP.
    /// </summary>
    public static bool IsWhitespace(char c) =>
        (c >= '\u001c' && c <= '\u001f') || char.IsWhiteSpace(c);

    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }
}
