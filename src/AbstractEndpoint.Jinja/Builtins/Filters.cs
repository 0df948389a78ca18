using System.Net;
using System.Text.RegularExpressions;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>
/// The filter table: Jinja2's built-in filters plus transformers' <c>tojson</c> (json.dumps with ensure_ascii=False).
/// Not provided: <c>pprint</c>, <c>random</c>, <c>urlize</c>, <c>wordwrap</c> (unused by chat templates); a template
/// using them fails to parse, as a template using an unknown filter does in Jinja2.
/// </summary>
internal static partial class Filters
{
    private static readonly Dictionary<string, FilterFunction> Table = new(StringComparer.Ordinal)
    {
        ["abs"] = NumberFilters.Abs,
        ["attr"] = CollectionFilters.Attr,
        ["batch"] = CollectionFilters.Batch,
        ["capitalize"] = TextFilters.Capitalize,
        ["center"] = TextFilters.Center,
        ["count"] = CollectionFilters.Length,
        ["d"] = CollectionFilters.Default,
        ["default"] = CollectionFilters.Default,
        ["dictsort"] = CollectionFilters.DictSort,
        ["e"] = TextFilters.Escape,
        ["escape"] = TextFilters.Escape,
        ["filesizeformat"] = TextFilters.FileSizeFormat,
        ["first"] = CollectionFilters.First,
        ["float"] = NumberFilters.Float,
        ["forceescape"] = TextFilters.ForceEscape,
        ["format"] = TextFilters.Format,
        ["groupby"] = CollectionFilters.GroupBy,
        ["indent"] = TextFilters.Indent,
        ["int"] = NumberFilters.Int,
        ["items"] = CollectionFilters.Items,
        ["join"] = CollectionFilters.Join,
        ["last"] = CollectionFilters.Last,
        ["length"] = CollectionFilters.Length,
        ["list"] = CollectionFilters.List,
        ["lower"] = TextFilters.Lower,
        ["map"] = SelectionFilters.Map,
        ["max"] = CollectionFilters.Max,
        ["min"] = CollectionFilters.Min,
        ["reject"] = SelectionFilters.Reject,
        ["rejectattr"] = SelectionFilters.RejectAttr,
        ["replace"] = TextFilters.Replace,
        ["reverse"] = CollectionFilters.Reverse,
        ["round"] = NumberFilters.Round,
        ["safe"] = TextFilters.Safe,
        ["select"] = SelectionFilters.Select,
        ["selectattr"] = SelectionFilters.SelectAttr,
        ["slice"] = CollectionFilters.Slice,
        ["sort"] = CollectionFilters.Sort,
        ["string"] = TextFilters.String,
        ["striptags"] = TextFilters.StripTags,
        ["sum"] = CollectionFilters.Sum,
        ["title"] = TextFilters.Title,
        ["tojson"] = CollectionFilters.ToJson,
        ["trim"] = TextFilters.Trim,
        ["truncate"] = TextFilters.Truncate,
        ["unique"] = CollectionFilters.Unique,
        ["upper"] = TextFilters.Upper,
        ["urlencode"] = TextFilters.UrlEncode,
        ["wordcount"] = TextFilters.WordCount,
        ["xmlattr"] = TextFilters.XmlAttr,
    };

    public static FilterFunction? Find(string name) => Table.GetValueOrDefault(name);

    public static bool Exists(string name) => Table.ContainsKey(name);

    /// <summary>markupsafe's <c>striptags</c>: drop comments and tags, collapse white space, unescape entities.</summary>
    public static string StripTags(string text)
    {
        var withoutTags = TagPattern().Replace(CommentPattern().Replace(text, string.Empty), string.Empty);
        var words = withoutTags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return WebUtility.HtmlDecode(string.Join(' ', words));
    }

    [GeneratedRegex("<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex("<.*?>", RegexOptions.Singleline)]
    private static partial Regex TagPattern();
}
