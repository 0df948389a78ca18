using System.Globalization;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>
/// Jinja2's <c>make_attrgetter</c>: follows a dotted path (<c>"function.name"</c>, digits become indexes) with
/// subscription semantics, optionally substituting a default for undefined and lower-casing strings (for the
/// case-insensitive sort, unique, min and max).
/// </summary>
internal sealed class AttributeGetter
{
    private readonly object[] _parts;
    private readonly object? _default;
    private readonly bool _ignoreCase;

    private AttributeGetter(object[] parts, object? defaultValue, bool ignoreCase)
    {
        _parts = parts;
        _default = defaultValue;
        _ignoreCase = ignoreCase;
    }

    public static AttributeGetter Create(object? attribute, bool ignoreCase = false, object? defaultValue = null) =>
        new(Parts(attribute), defaultValue, ignoreCase);

    /// <summary>One getter per comma-separated path (<c>sort(attribute="age,name")</c>).</summary>
    public static AttributeGetter[] CreateMany(object? attribute, bool ignoreCase)
    {
        if (attribute is string text)
        {
            return Array.ConvertAll(text.Split(','), part => Create(part, ignoreCase));
        }

        return [Create(attribute, ignoreCase)];
    }

    private static object[] Parts(object? attribute)
    {
        if (attribute is null)
        {
            return [];
        }

        if (PyString.TryGet(attribute, out var text))
        {
            return Array.ConvertAll(text.Split('.'), part =>
                part.Length > 0 && part.All(char.IsAsciiDigit) ? PyBox.Int(long.Parse(part, CultureInfo.InvariantCulture)) : (object)part);
        }

        return [attribute];
    }

    public object? Get(object? item)
    {
        foreach (var part in _parts)
        {
            item = PyAccess.GetItem(item, part);
            if (_default is not null && item is Undefined)
            {
                item = _default;
            }
        }

        return _ignoreCase ? IgnoreCase(item) : item;
    }

    public static object? IgnoreCase(object? value) => value switch
    {
        string s => PyCase.Lower(s),
        Markup m => new Markup(PyCase.Lower(m.Value)),
        _ => value,
    };
}
