namespace AbstractEndpoint.Python;

/// <summary>
/// The keyword arguments of Python's <c>json.dumps</c> that shape its output. The defaults are Python's
/// (<c>ensure_ascii=True</c>, no indent, separators <c>(", ", ": ")</c>, unsorted, <c>allow_nan=True</c>); note that
/// Python switches the item separator to <c>","</c> when an indent is given and no separators are.
/// </summary>
public sealed record PythonJsonFormat
{
    /// <summary><c>ensure_ascii=False, separators=(",", ":")</c>: no whitespace, non-ASCII left raw.</summary>
    public static PythonJsonFormat Compact { get; } = new() { EnsureAscii = false, ItemSeparator = ",", KeySeparator = ":" };

    /// <summary>Whether every non-ASCII UTF-16 unit is written as a <c>\uXXXX</c> escape.</summary>
    public bool EnsureAscii { get; init; } = true;

    /// <summary>The text repeated once per level on a new line before each item; null writes everything on one line.</summary>
    public string? Indent { get; init; }

    public string ItemSeparator { get; init; } = ", ";

    public string KeySeparator { get; init; } = ": ";

    /// <summary>Whether object members are written in key order (for JSON input: code point order of the names).</summary>
    public bool SortKeys { get; init; }

    /// <summary>Whether NaN and the infinities are written as <c>NaN</c>/<c>Infinity</c> rather than refused.</summary>
    public bool AllowNan { get; init; } = true;
}
