using System.Text;

namespace AbstractEndpoint.Jinja.Lexing;

/// <summary>
/// Decodes a string literal body the way Jinja2 does: non-ASCII is first turned into backslash escapes, then the
/// whole text is decoded with Python's <c>unicode-escape</c> codec (so unknown escapes such as <c>\d</c> stay as is).
/// </summary>
internal static class StringLiteral
{
    public static string Unescape(string raw, int line)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        // Jinja2 encodes non-ASCII as backslash escapes before decoding, so "\" + "é" decodes to "\xe9" text.
        var ascii = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            int c = raw[i];
            if (c < 0x80)
            {
                ascii.Append((char)c);
                continue;
            }

            if (char.IsHighSurrogate(raw[i]) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                c = char.ConvertToUtf32(raw[i], raw[i + 1]);
                i++;
            }

            ascii.Append(c <= 0xFF ? $"\\x{c:x2}" : c <= 0xFFFF ? $"\\u{c:x4}" : $"\\U{c:x8}");
        }

        return Decode(ascii.ToString(), line);
    }

    private static string Decode(string text, int line)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                if (c == '\\')
                {
                    throw new JinjaSyntaxException("\\ at end of string", line);
                }

                result.Append(c);
                continue;
            }

            var e = text[++i];
            switch (e)
            {
                case '\n':
                    break;
                case '\\':
                case '\'':
                case '"':
                    result.Append(e);
                    break;
                case 'a':
                    result.Append('\a');
                    break;
                case 'b':
                    result.Append('\b');
                    break;
                case 'f':
                    result.Append('\f');
                    break;
                case 'n':
                    result.Append('\n');
                    break;
                case 'r':
                    result.Append('\r');
                    break;
                case 't':
                    result.Append('\t');
                    break;
                case 'v':
                    result.Append('\v');
                    break;
                case >= '0' and <= '7':
                    var octal = e - '0';
                    for (var k = 0; k < 2 && i + 1 < text.Length && text[i + 1] is >= '0' and <= '7'; k++)
                    {
                        octal = (octal * 8) + (text[++i] - '0');
                    }

                    Python.PyString.AppendCodePoint(result, octal);
                    break;
                case 'x':
                    i = AppendHex(result, text, i, 2, "truncated \\xXX escape", line);
                    break;
                case 'u':
                    i = AppendHex(result, text, i, 4, "truncated \\uXXXX escape", line);
                    break;
                case 'U':
                    i = AppendHex(result, text, i, 8, "truncated \\UXXXXXXXX escape", line);
                    break;
                case 'N':
                    throw new JinjaSyntaxException("named unicode escapes (\\N{...}) are not supported", line);
                default:
                    result.Append('\\').Append(e);
                    break;
            }
        }

        return result.ToString();
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static int AppendHex(StringBuilder result, string text, int at, int width, string error, int line)
    {
        var value = 0L;
        for (var k = 1; k <= width; k++)
        {
            if (at + k >= text.Length || !char.IsAsciiHexDigit(text[at + k]))
            {
                throw new JinjaSyntaxException(error, line);
            }

            value = (value * 16) + HexValue(text[at + k]);
        }

        if (value > 0x10FFFF)
        {
            throw new JinjaSyntaxException("illegal Unicode character", line);
        }

        Python.PyString.AppendCodePoint(result, (int)value);
        return at + width;
    }
}
