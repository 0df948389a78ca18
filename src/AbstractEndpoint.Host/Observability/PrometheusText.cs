using System.Globalization;
using System.Text;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// Prometheus' text exposition format (version 0.0.4): label sets, escaping and numbers as Prometheus parses them.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>A label set as written between braces (<c>a="1",b="x"</c>), sorted by name; empty for none.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<KeyValuePair<string, object?>>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add(tag);
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            Append(text, name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        }

        return text.ToString();
    }

    /// <summary>Appends <c>name="value"</c> (with a comma before it unless first), the value escaped.</summary>
    public static void Append(StringBuilder labels, string name, string value)
    {
        if (labels.Length > 0)
        {
            labels.Append(',');
        }

        labels.Append(name).Append("=\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => labels.Append("\\\\"),
                '"' => labels.Append("\\\""),
                '\n' => labels.Append("\\n"),
                _ => labels.Append(c),
            };
        }

        labels.Append('"');
    }

    /// <summary>A HELP text escaped as the format asks (backslash and line feed only).</summary>
    public static string Help(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value: Go's float syntax, with Prometheus' spellings of infinity and NaN.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
