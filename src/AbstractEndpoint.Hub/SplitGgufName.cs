using System.Globalization;
using System.Text.RegularExpressions;

namespace AbstractEndpoint.Hub;

/// <summary>
/// The naming llama.cpp's gguf-split uses for multi-file models: <c>{prefix}-00001-of-00003.gguf</c>.
/// </summary>
internal sealed partial record SplitGgufName(string Prefix, int Index, int Count)
{
    public static SplitGgufName? TryParse(string path)
    {
        var match = Pattern().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var index = int.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
        var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        return index >= 1 && index <= count ? new SplitGgufName(match.Groups["prefix"].Value, index, count) : null;
    }

    /// <summary>The path of part <paramref name="index"/> (1-based) of the same split model.</summary>
    public string PartPath(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{index:D5}-of-{Count:D5}.gguf");

    /// <summary>All parts in order; the first is what llama.cpp is given.</summary>
    public IReadOnlyList<string> AllParts() => [.. Enumerable.Range(1, Count).Select(PartPath)];

    [GeneratedRegex(@"^(?<prefix>.+)-(?<index>\d{5})-of-(?<count>\d{5})\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
