using System.Globalization;
using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// A separated sequence of items in a fixed order where optional items may be left out, followed by any number of
/// "extra" items. The separator must appear exactly between present items, so the grammar tracks whether anything
/// was emitted yet: state (k, first) is one rule, which keeps the grammar linear in the number of items.
/// Used for JSON object members and for XML-style tool parameters.
/// </summary>
internal sealed class OptionalSequence
{
    private readonly GbnfBuilder _b;
    private readonly IReadOnlyList<(string Expr, bool Required)> _items;
    private readonly string _separator;
    private readonly string? _extra;
    private readonly string _name;
    private readonly Dictionary<(int, bool), string> _states = [];

    private OptionalSequence(GbnfBuilder b, IReadOnlyList<(string Expr, bool Required)> items, string separator, string? extra, string name)
    {
        _b = b;
        _items = items;
        _separator = separator;
        _extra = extra;
        _name = name;
    }

    /// <summary>The expression for the whole sequence (possibly empty).</summary>
    public static string Build(GbnfBuilder b, IReadOnlyList<(string Expr, bool Required)> items, string separator, string? extra, string name) =>
        new OptionalSequence(b, items, separator, extra, name).From(0, first: true);

    private string From(int k, bool first)
    {
        var n = _items.Count;
        if (k == n)
        {
            if (_extra is null)
            {
                return string.Empty;
            }

            var more = GbnfExpr.Star(GbnfExpr.Seq(_separator, _extra));
            return first ? GbnfExpr.Opt(GbnfExpr.Seq(_extra, more)) : more;
        }

        var allRequired = true;
        for (var j = k; j < n; j++)
        {
            allRequired &= _items[j].Required;
        }

        if (allRequired)
        {
            var parts = new List<string>();
            for (var j = k; j < n; j++)
            {
                parts.Add(first && j == k ? string.Empty : _separator);
                parts.Add(_items[j].Expr);
            }

            parts.Add(From(n, first: false));
            return GbnfExpr.Seq([.. parts]);
        }

        if (_states.TryGetValue((k, first), out var existing))
        {
            return existing;
        }

        var present = GbnfExpr.Seq(first ? string.Empty : _separator, _items[k].Expr, From(k + 1, first: false));
        var body = _items[k].Required ? present : GbnfExpr.Alt(present, From(k + 1, first));
        var rule = _b.Add(_name + (first ? "-from-" : "-then-") + k.ToString(CultureInfo.InvariantCulture), body);
        _states[(k, first)] = rule;
        return rule;
    }
}
