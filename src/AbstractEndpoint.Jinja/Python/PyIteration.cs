using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>Python's <c>iter()</c> over template values; every item walked counts against the iteration limit.</summary>
internal static class PyIteration
{
    public static bool IsIterable(object? value) =>
        value is string or Markup or PyList or PyTuple or PyDict or PyDictView or PyRange or PyIterator or Undefined;

    public static IEnumerable<object?> Iterate(object? value, RenderSession session)
    {
        return value switch
        {
            PyList list => Counted(list.Items, session),
            PyTuple tuple => Counted(tuple.Items, session),
            string s => Counted(PyString.Characters(s), session),
            Markup m => Counted(PyString.Characters(m.Value), session),
            PyDict dict => Keys(dict, session),
            PyDictView view => View(view, session),
            PyRange range => Range(range, session),
            PyIterator iterator => Counted(iterator.Drain(), session),
            Undefined => [],
            _ => throw PyErrors.TypeError($"'{PyTypeNames.Of(value)}' object is not iterable"),
        };
    }

    public static List<object?> ToList(object? value, RenderSession session)
    {
        var items = value switch
        {
            PyList list => new List<object?>(list.Count),
            PyTuple tuple => new List<object?>(tuple.Count),
            _ => [],
        };
        foreach (var item in Iterate(value, session))
        {
            items.Add(item);
        }

        session.ChargeItems(items.Count);
        return items;
    }

    /// <summary>Items of a sized sequence without copying; other iterables are materialized.</summary>
    public static IReadOnlyList<object?> AsReadOnlyList(object? value, RenderSession session) => value switch
    {
        PyList list => list.Items,
        PyTuple tuple => tuple.Items,
        _ => ToList(value, session),
    };

    private static IEnumerable<object?> Counted(IEnumerable<object?> items, RenderSession session)
    {
        foreach (var item in items)
        {
            session.Tick();
            yield return item;
        }
    }

    private static IEnumerable<object?> Keys(PyDict dict, RenderSession session)
    {
        for (var i = 0; i < dict.Count; i++)
        {
            session.Tick();
            yield return dict.KeyAt(i);
        }
    }

    private static IEnumerable<object?> View(PyDictView view, RenderSession session)
    {
        for (var i = 0; i < view.Dict.Count; i++)
        {
            session.Tick();
            yield return view.ItemAt(i);
        }
    }

    private static IEnumerable<object?> Range(PyRange range, RenderSession session)
    {
        for (var i = 0; i < range.Count; i++)
        {
            session.Tick();
            yield return range[i];
        }
    }
}
