using System.Text;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>markupsafe's escaping, used by <c>|escape</c> and whenever plain text meets <see cref="Markup"/>.</summary>
internal static class MarkupOps
{
    public static Markup Escape(object? value) => value as Markup ?? new Markup(EscapeText(PyRepr.Str(value)));

    public static string EscapeText(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>'\"") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\'':
                    builder.Append("&#39;");
                    break;
                case '"':
                    builder.Append("&#34;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>The text a value contributes when joined into Markup: Markup as is, anything else escaped.</summary>
    public static string EscapedText(object? value) => value is Markup m ? m.Value : EscapeText(PyRepr.Str(value));
}
