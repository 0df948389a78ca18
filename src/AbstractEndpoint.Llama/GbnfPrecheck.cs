namespace AbstractEndpoint.Llama;

/// <summary>
/// Limits a client's GBNF must meet before llama.cpp parses it. llama.cpp's parser recurses once per nested
/// group, so a deeply nested grammar could overflow the request thread's stack (a crash, not an error); and a
/// huge grammar costs every token it constrains. Everything else is llama.cpp's own parser's to judge.
/// </summary>
internal static class GbnfPrecheck
{
    public const int MaxLength = 256 * 1024;
    public const int MaxNesting = 128;

    /// <summary>Null when the grammar may go to llama.cpp, else why not.</summary>
    public static string? Problem(string gbnf)
    {
        if (gbnf.Length > MaxLength)
        {
            return $"it is {gbnf.Length} characters long; at most {MaxLength} are accepted";
        }

        var depth = 0;
        for (var i = 0; i < gbnf.Length; i++)
        {
            switch (gbnf[i])
            {
                case '"':
                    i = SkipQuoted(gbnf, i, '"');
                    break;
                case '[':
                    i = SkipQuoted(gbnf, i, ']');
                    break;
                case '#':
                    while (i + 1 < gbnf.Length && gbnf[i + 1] is not ('\n' or '\r'))
                    {
                        i++;
                    }

                    break;
                case '(':
                    if (++depth > MaxNesting)
                    {
                        return $"its groups nest more than {MaxNesting} deep";
                    }

                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
            }
        }

        return null;
    }

    // Index of the closing character of a literal or character class (escapes skipped), or the end of the text.
    private static int SkipQuoted(string text, int start, char close)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == close)
            {
                return i;
            }
        }

        return text.Length;
    }
}
