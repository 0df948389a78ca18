namespace AbstractEndpoint.StructuredOutput.Parsing;

/// <summary>How far a JSON value at some position got.</summary>
internal enum ScanStatus
{
    /// <summary>The text ends inside a value that could still become valid.</summary>
    Incomplete,

    /// <summary>A whole, valid value.</summary>
    Complete,

    /// <summary>The text cannot be the start of a valid value.</summary>
    Invalid,
}

/// <summary>
/// A strict JSON syntax checker that works on prefixes: it says whether the text from a position is a complete
/// value, a valid prefix of one, or neither. Streaming parsers re-run it on every piece, so it allocates nothing.
/// </summary>
internal static class JsonScanner
{
    private const int MaxDepth = 256;

    /// <summary>
    /// Scans one value starting exactly at <paramref name="start"/> (no leading whitespace skipped). With
    /// <paramref name="final"/>, a number that reaches the end of the text is complete rather than possibly longer.
    /// </summary>
    public static (ScanStatus Status, int End) ScanValue(string s, int start, bool final = false)
    {
        var pos = start;
        var status = Value(s, ref pos, 0, final);
        return (status, pos);
    }

    public static int SkipWhitespace(string s, int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t' or '\n' or '\r')
        {
            pos++;
        }

        return pos;
    }

    private static ScanStatus Value(string s, ref int pos, int depth, bool final)
    {
        if (pos >= s.Length)
        {
            return ScanStatus.Incomplete;
        }

        if (depth > MaxDepth)
        {
            return ScanStatus.Invalid;
        }

        switch (s[pos])
        {
            case '{':
                return Container(s, ref pos, depth, isObject: true);
            case '[':
                return Container(s, ref pos, depth, isObject: false);
            case '"':
                return String(s, ref pos);
            case 't':
                return Word(s, ref pos, "true");
            case 'f':
                return Word(s, ref pos, "false");
            case 'n':
                return Word(s, ref pos, "null");
            case '-' or (>= '0' and <= '9'):
                return Number(s, ref pos, final);
            default:
                return ScanStatus.Invalid;
        }
    }

    private static ScanStatus Container(string s, ref int pos, int depth, bool isObject)
    {
        var close = isObject ? '}' : ']';
        pos = SkipWhitespace(s, pos + 1);
        if (pos >= s.Length)
        {
            return ScanStatus.Incomplete;
        }

        if (s[pos] == close)
        {
            pos++;
            return ScanStatus.Complete;
        }

        while (true)
        {
            if (isObject)
            {
                if (pos >= s.Length)
                {
                    return ScanStatus.Incomplete;
                }

                if (s[pos] != '"')
                {
                    return ScanStatus.Invalid;
                }

                var key = String(s, ref pos);
                if (key != ScanStatus.Complete)
                {
                    return key;
                }

                pos = SkipWhitespace(s, pos);
                if (pos >= s.Length)
                {
                    return ScanStatus.Incomplete;
                }

                if (s[pos] != ':')
                {
                    return ScanStatus.Invalid;
                }

                pos = SkipWhitespace(s, pos + 1);
            }

            // Inside a container a number is never the last thing, so 'final' does not apply to it.
            var item = Value(s, ref pos, depth + 1, final: false);
            if (item != ScanStatus.Complete)
            {
                return item;
            }

            pos = SkipWhitespace(s, pos);
            if (pos >= s.Length)
            {
                return ScanStatus.Incomplete;
            }

            if (s[pos] == close)
            {
                pos++;
                return ScanStatus.Complete;
            }

            if (s[pos] != ',')
            {
                return ScanStatus.Invalid;
            }

            pos = SkipWhitespace(s, pos + 1);
        }
    }

    /// <summary>Scans a string token starting at the opening quote.</summary>
    public static ScanStatus String(string s, ref int pos)
    {
        pos++;
        while (pos < s.Length)
        {
            var c = s[pos];
            if (c == '"')
            {
                pos++;
                return ScanStatus.Complete;
            }

            if (c < 0x20)
            {
                return ScanStatus.Invalid;
            }

            if (c == '\\')
            {
                if (pos + 1 >= s.Length)
                {
                    pos = s.Length;
                    return ScanStatus.Incomplete;
                }

                var e = s[pos + 1];
                if (e == 'u')
                {
                    for (var k = 0; k < 4; k++)
                    {
                        var idx = pos + 2 + k;
                        if (idx >= s.Length)
                        {
                            pos = s.Length;
                            return ScanStatus.Incomplete;
                        }

                        if (!char.IsAsciiHexDigit(s[idx]))
                        {
                            return ScanStatus.Invalid;
                        }
                    }

                    pos += 6;
                    continue;
                }

                if (e is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                {
                    return ScanStatus.Invalid;
                }

                pos += 2;
                continue;
            }

            pos++;
        }

        return ScanStatus.Incomplete;
    }

    private static ScanStatus Word(string s, ref int pos, string word)
    {
        for (var k = 0; k < word.Length; k++)
        {
            if (pos + k >= s.Length)
            {
                pos = s.Length;
                return ScanStatus.Incomplete;
            }

            if (s[pos + k] != word[k])
            {
                return ScanStatus.Invalid;
            }
        }

        pos += word.Length;
        return ScanStatus.Complete;
    }

    private static ScanStatus Number(string s, ref int pos, bool final)
    {
        // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        var p = pos;
        if (s[p] == '-')
        {
            p++;
        }

        if (p >= s.Length)
        {
            pos = p;
            return ScanStatus.Incomplete;
        }

        if (s[p] == '0')
        {
            p++;
        }
        else if (s[p] is >= '1' and <= '9')
        {
            while (p < s.Length && char.IsAsciiDigit(s[p]))
            {
                p++;
            }
        }
        else
        {
            return ScanStatus.Invalid;
        }

        if (p < s.Length && s[p] == '.')
        {
            p++;
            var digits = p;
            while (p < s.Length && char.IsAsciiDigit(s[p]))
            {
                p++;
            }

            if (p == digits)
            {
                pos = p;
                return p >= s.Length ? ScanStatus.Incomplete : ScanStatus.Invalid;
            }
        }

        if (p < s.Length && s[p] is 'e' or 'E')
        {
            p++;
            if (p < s.Length && s[p] is '+' or '-')
            {
                p++;
            }

            var digits = p;
            while (p < s.Length && char.IsAsciiDigit(s[p]))
            {
                p++;
            }

            if (p == digits)
            {
                pos = p;
                return p >= s.Length ? ScanStatus.Incomplete : ScanStatus.Invalid;
            }
        }

        pos = p;

        // A number that reaches the end of the text may continue in the next piece.
        return p >= s.Length && !final ? ScanStatus.Incomplete : ScanStatus.Complete;
    }
}
