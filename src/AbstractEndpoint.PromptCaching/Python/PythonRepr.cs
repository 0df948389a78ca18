using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AbstractEndpoint.PromptCaching.Python;

/// <summary>
/// Python's <c>str()</c> and <c>repr()</c> of a value parsed by <c>json.loads</c>. The original turns a module id into
/// text with <c>str(module_id)</c>, so a numeric or even a list id hashes as Python prints it
/// (<c>1.0</c>, <c>True</c>, <c>['a', None]</c>).
/// </summary>
/// <remarks>
/// Which characters <c>repr</c> escapes depends on the Unicode database (Python 3.11 ships 14.0; .NET a newer one),
/// so a string holding a code point assigned between those versions may print differently. Nothing realistic does.
/// </remarks>
internal static class PythonRepr
{
    public static string Str(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : Repr(value);

    public static string Repr(JsonElement value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                text.Append("None");
                break;
            case JsonValueKind.True:
                text.Append("True");
                break;
            case JsonValueKind.False:
                text.Append("False");
                break;
            case JsonValueKind.Number:
                text.Append(JsonNumberToken.Read(value).ToString());
                break;
            case JsonValueKind.String:
                AppendString(text, value.GetString()!);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(first ? "" : ", ");
                    first = false;
                    Append(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append('{');
                var separator = "";
                foreach (var (name, member) in PythonDict.Members(value))
                {
                    text.Append(separator);
                    separator = ", ";
                    AppendString(text, name);
                    text.Append(": ");
                    Append(text, member);
                }

                text.Append('}');
                break;
        }
    }

    /// <summary>CPython's <c>unicode_repr</c>: prefer single quotes, escape what is not printable.</summary>
    private static void AppendString(StringBuilder text, string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        foreach (var rune in value.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == quote || c == '\\')
            {
                text.Append('\\').Append((char)c);
            }
            else if (c == '\t')
            {
                text.Append("\\t");
            }
            else if (c == '\n')
            {
                text.Append("\\n");
            }
            else if (c == '\r')
            {
                text.Append("\\r");
            }
            else if (c < ' ' || c == 0x7f)
            {
                text.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c < 0x7f || IsPrintable(c))
            {
                text.Append(rune.ToString());
            }
            else if (c <= 0xff)
            {
                text.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (c <= 0xffff)
            {
                text.Append("\\u").Append(c.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append("\\U").Append(c.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        text.Append(quote);
    }

    /// <summary>Python's <c>str.isprintable</c> for one code point: not Cc, Cf, Cs, Co, Cn, Zl, Zp, or Zs other than space.</summary>
    private static bool IsPrintable(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.SpaceSeparator => codePoint == ' ',
        _ => true,
    };
}
