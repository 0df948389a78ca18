using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Python;

/// <summary>
/// CPython's <c>repr(str)</c> (<c>unicode_repr</c>): single quotes unless the text holds a single quote and no double
/// one, backslash escapes for what is not printable, lone surrogates as <c>\udXXX</c>.
/// </summary>
/// <remarks>
/// Which characters are printable depends on the Unicode database (each Python version pins one; .NET ships its own),
/// so a string holding a code point assigned between those versions may print differently. Nothing realistic does.
/// </remarks>
public static class PythonStringRepr
{
    public static string Repr(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        Append(builder, text);
        return builder.ToString();
    }

    public static void Append(StringBuilder builder, string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c >= ' ' && c < 0x7F)
            {
                builder.Append(c);
            }
            else if (c == '\n')
            {
                builder.Append("\\n");
            }
            else if (c == '\r')
            {
                builder.Append("\\r");
            }
            else if (c == '\t')
            {
                builder.Append("\\t");
            }
            else if (c < ' ' || c == 0x7F)
            {
                builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                int codePoint = c;
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    codePoint = char.ConvertToUtf32(c, text[i + 1]);
                    i++;
                }

                if (IsPrintable(codePoint))
                {
                    AppendCodePoint(builder, codePoint);
                }
                else if (codePoint <= 0xFF)
                {
                    builder.Append("\\x").Append(codePoint.ToString("x2", CultureInfo.InvariantCulture));
                }
                else if (codePoint <= 0xFFFF)
                {
                    builder.Append("\\u").Append(codePoint.ToString("x4", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append("\\U").Append(codePoint.ToString("x8", CultureInfo.InvariantCulture));
                }
            }
        }

        builder.Append(quote);
    }

    /// <summary>Python's <c>str.isprintable</c> for one code point: not Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than space.</summary>
    public static bool IsPrintable(int codePoint)
    {
        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            UnicodeCategory.SpaceSeparator => codePoint == ' ',
            _ => true,
        };
    }

    private static void AppendCodePoint(StringBuilder builder, int codePoint)
    {
        if (codePoint < 0x10000)
        {
            builder.Append((char)codePoint);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
    }
}
