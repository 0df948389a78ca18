using System.Globalization;
using System.Text;

namespace AbstractEndpoint.StructuredOutput.Gbnf;

/// <summary>
/// Spelling of GBNF terminals. llama.cpp's grammar parser understands only a handful of escapes
/// (<c>\x \u \U \t \r \n \\ \" \[ \]</c>), so everything else that could confuse it is written as a hex escape.
/// </summary>
internal static class GbnfText
{
    /// <summary>A quoted GBNF literal matching <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            AppendLiteralRune(sb, rune);
        }

        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>A GBNF character class from inclusive code-point ranges; <paramref name="negated"/> makes it <c>[^...]</c>.</summary>
    public static string CharClass(IEnumerable<(int From, int To)> ranges, bool negated = false)
    {
        var sb = new StringBuilder();
        sb.Append(negated ? "[^" : "[");
        foreach (var (from, to) in ranges)
        {
            AppendClassChar(sb, from);
            if (to != from)
            {
                sb.Append('-');
                AppendClassChar(sb, to);
            }
        }

        sb.Append(']');
        return sb.ToString();
    }

    /// <summary>A character class for the listed single characters.</summary>
    public static string CharClass(string chars, bool negated = false) =>
        CharClass(chars.EnumerateRunes().Select(r => (r.Value, r.Value)), negated);

    private static void AppendLiteralRune(StringBuilder sb, Rune rune)
    {
        switch (rune.Value)
        {
            case '"': sb.Append("\\\""); return;
            case '\\': sb.Append("\\\\"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
        }

        if (rune.Value < 0x20 || rune.Value == 0x7F || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate)
        {
            AppendHex(sb, rune.Value);
            return;
        }

        sb.Append(rune.ToString());
    }

    private static void AppendClassChar(StringBuilder sb, int codePoint)
    {
        // Inside a class only letters, digits and a few harmless ASCII symbols are written raw; the rest as escapes
        // so that ']', '-', '^' and '\' can never be misread as class syntax.
        if (codePoint is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
            || (codePoint > 0x20 && codePoint < 0x7F && "!#$%&'()*+,./:;<=>?@_`{|}~ ".Contains((char)codePoint, StringComparison.Ordinal)))
        {
            sb.Append((char)codePoint);
            return;
        }

        AppendHex(sb, codePoint);
    }

    private static void AppendHex(StringBuilder sb, int codePoint)
    {
        if (codePoint <= 0xFF)
        {
            sb.Append("\\x").Append(codePoint.ToString("X2", CultureInfo.InvariantCulture));
        }
        else if (codePoint <= 0xFFFF)
        {
            sb.Append("\\u").Append(codePoint.ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(codePoint.ToString("X8", CultureInfo.InvariantCulture));
        }
    }
}
