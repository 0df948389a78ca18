using System.Text;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python strings count code points while .NET strings count UTF-16 units; these helpers index, slice and iterate by
/// code point, taking the cheap UTF-16 path whenever the text has no surrogate pairs (the common case).
/// </summary>
internal static class PyString
{
    private static readonly string[] AsciiChars = CreateAsciiChars();

    public static bool HasSurrogates(string text) => text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    public static int Length(string text)
    {
        if (!HasSurrogates(text))
        {
            return text.Length;
        }

        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }

            count++;
        }

        return count;
    }

    /// <summary>Code point values of the text; a lone surrogate stays one code point, as in Python.</summary>
    public static int[] CodePoints(string text)
    {
        var points = new int[Length(text)];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                points[n++] = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else
            {
                points[n++] = text[i];
            }
        }

        return points;
    }

    public static void AppendCodePoint(StringBuilder builder, int codePoint)
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

    public static string FromCodePoint(int codePoint) =>
        codePoint < 128 ? AsciiChars[codePoint] : codePoint < 0x10000 ? ((char)codePoint).ToString() : char.ConvertFromUtf32(codePoint);

    /// <summary>Each code point as its own one-character string, like iterating a Python str.</summary>
    public static IEnumerable<object?> Characters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 128)
            {
                yield return AsciiChars[c];
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return text.Substring(i, 2);
                i++;
            }
            else
            {
                yield return c.ToString();
            }
        }
    }

    /// <summary>The character at a Python index (negative counts from the end), or null when out of range.</summary>
    public static string? ItemAt(string text, long index)
    {
        if (!HasSurrogates(text))
        {
            if (index < 0)
            {
                index += text.Length;
            }

            return index >= 0 && index < text.Length ? FromCodePoint(text[(int)index]) : null;
        }

        var points = CodePoints(text);
        if (index < 0)
        {
            index += points.Length;
        }

        return index >= 0 && index < points.Length ? FromCodePoint(points[index]) : null;
    }

    public static string Slice(string text, long start, long step, long count)
    {
        if (count <= 0)
        {
            return string.Empty;
        }

        if (!HasSurrogates(text))
        {
            if (step == 1)
            {
                return text.Substring((int)start, (int)count);
            }

            var chars = new char[count];
            for (long i = 0, at = start; i < count; i++, at += step)
            {
                chars[i] = text[(int)at];
            }

            return new string(chars);
        }

        var points = CodePoints(text);
        var builder = new StringBuilder((int)count);
        for (long i = 0, at = start; i < count; i++, at += step)
        {
            AppendCodePoint(builder, points[at]);
        }

        return builder.ToString();
    }

    public static string Concat(string left, string right, Runtime.RenderSession session)
    {
        session.ChargeString((long)left.Length + right.Length);
        return string.Concat(left, right);
    }

    /// <summary>Text of a str or Markup value; false for anything else.</summary>
    public static bool TryGet(object? value, out string text)
    {
        switch (value)
        {
            case string s:
                text = s;
                return true;
            case Markup m:
                text = m.Value;
                return true;
            default:
                text = string.Empty;
                return false;
        }
    }

    private static string[] CreateAsciiChars()
    {
        var table = new string[128];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = ((char)i).ToString();
        }

        return table;
    }
}
