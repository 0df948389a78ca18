using System.Globalization;
using System.Text.RegularExpressions;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// A strict reader of Prometheus' text format (0.0.4), so tests check the format whether or not promtool is
/// installed: every line is a HELP, a TYPE or a sample of a family typed before it; names and labels are valid;
/// a histogram's buckets are cumulative and its +Inf bucket equals its count. Anything else throws.
/// </summary>
public sealed partial class PrometheusExposition
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly List<PrometheusSample> _samples = [];

    private PrometheusExposition()
    {
    }

    public IReadOnlyDictionary<string, string> Types => _types;

    public IReadOnlyList<PrometheusSample> Samples => _samples;

    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        foreach (var line in lines[..^1])
        {
            exposition.Read(line);
        }

        exposition.CheckHistograms();
        return exposition;
    }

    /// <summary>The one sample named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).ToList();
        return matches.Count == 1 ? matches[0].Value
            : throw new InvalidOperationException($"{matches.Count} samples match {name} {string.Join(",", labels)}");
    }

    /// <summary>The sum of every sample named <paramref name="name"/> (over label sets; 0 when there is none).</summary>
    public double Sum(string name) => _samples.Where(s => s.Name == name).Sum(s => s.Value);

    private void Read(string line)
    {
        if (line.StartsWith("# ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length < 3 || !MetricName().IsMatch(parts[2]))
            {
                throw new FormatException($"bad comment line: {line}");
            }

            if (parts[1] == "TYPE")
            {
                if (parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw new FormatException($"bad TYPE line: {line}");
                }

                if (!_types.TryAdd(parts[2], parts[3]) || _samples.Any(s => s.Family == parts[2]))
                {
                    throw new FormatException($"TYPE after samples or twice: {line}");
                }
            }

            return;
        }

        var match = SampleLine().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"not a sample line: '{line}'");
        }

        var name = match.Groups["name"].Value;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var labelText = match.Groups["labels"].Value;
        var consumed = 0;
        foreach (Match label in Label().Matches(labelText))
        {
            if (label.Index != consumed || !labels.TryAdd(label.Groups["name"].Value, Unescape(label.Groups["value"].Value)))
            {
                throw new FormatException($"bad labels: {line}");
            }

            consumed = label.Index + label.Length;
            if (consumed < labelText.Length && labelText[consumed] == ',')
            {
                consumed++;
            }
        }

        if (consumed != labelText.Length)
        {
            throw new FormatException($"bad labels: {line}");
        }

        var value = match.Groups["value"].Value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        var family = FamilyOf(name);
        if (family is null)
        {
            throw new FormatException($"sample of a family with no TYPE before it: {line}");
        }

        _samples.Add(new PrometheusSample(name, family, labels, value));
    }

    private string? FamilyOf(string name)
    {
        if (_types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && _types.GetValueOrDefault(name[..^suffix.Length]) is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private void CheckHistograms()
    {
        foreach (var family in _types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var series = _samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal)));
            foreach (var buckets in series)
            {
                var ordered = buckets.ToList();
                if (ordered[^1].Labels["le"] != "+Inf")
                {
                    throw new FormatException($"{family}: the last bucket is not +Inf");
                }

                for (var i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Value < ordered[i - 1].Value
                        || Bound(ordered[i].Labels["le"]) <= Bound(ordered[i - 1].Labels["le"]))
                    {
                        throw new FormatException($"{family}: buckets are not cumulative in ascending bounds");
                    }
                }

                var count = _samples.Single(s => s.Name == family + "_count"
                    && string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) == buckets.Key);
                if (count.Value != ordered[^1].Value)
                {
                    throw new FormatException($"{family}: the +Inf bucket is not the count");
                }
            }
        }
    }

    private static double Bound(string le) =>
        le == "+Inf" ? double.PositiveInfinity : double.Parse(le, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>[^}]*)\\})? (?<value>\\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
