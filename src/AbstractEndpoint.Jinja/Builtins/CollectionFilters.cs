using System.Text;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>Filters over sequences and mappings: length, list, first/last, join, sort, unique, dictsort, min/max, sum...</summary>
internal static class CollectionFilters
{
    public static object? Length(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("len", [], []);
        return PyBox.Int(PyOps.Length(value));
    }

    public static object? List(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("list", [], []);
        return new PyList(PyIteration.ToList(value, session));
    }

    public static object? First(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("first", [], []);
        foreach (var item in PyIteration.Iterate(value, session))
        {
            return item;
        }

        return Undefined.WithHint("No first item, sequence was empty.");
    }

    public static object? Last(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("last", [], []);
        var items = Reversed(value, session);
        return items.Count > 0 ? items[0] : Undefined.WithHint("No last item, sequence was empty.");
    }

    /// <summary>Python's <c>reversed()</c> accepts sequences and dicts only, not generators.</summary>
    private static List<object?> Reversed(object? value, RenderSession session)
    {
        if (value is PyIterator or PyDictView || !PyIteration.IsIterable(value))
        {
            throw PyErrors.TypeError($"'{PyTypeNames.Of(value)}' object is not reversible");
        }

        var items = PyIteration.ToList(value, session);
        items.Reverse();
        return items;
    }

    public static object? Reverse(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("reverse", [], []);
        if (PyString.TryGet(value, out var text))
        {
            var reversed = PyString.Slice(text, PyString.Length(text) - 1, -1, PyString.Length(text));
            return value is Markup ? new Markup(reversed) : reversed;
        }

        if (value is PyIterator or PyDictView)
        {
            // reversed() refuses these, so Jinja2 falls back to a reversed list copy.
            var copy = PyIteration.ToList(value, session);
            copy.Reverse();
            return new PyList(copy);
        }

        var typeName = value switch
        {
            PyList => "list_reverseiterator",
            PyDict => "dict_reversekeyiterator",
            PyRange => "range_iterator",
            _ => "reversed",
        };
        if (!PyIteration.IsIterable(value))
        {
            throw PyErrors.FilterArgument("argument must be iterable");
        }

        return new PyIterator(Reversed(value, session).GetEnumerator(), typeName);
    }

    public static object? Join(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("join", ["d", "attribute"], [string.Empty, null]);
        var separator = PyRepr.Str(values[0]);
        var getter = values[1] is null ? null : AttributeGetter.Create(values[1]);
        var builder = new StringBuilder();
        var first = true;
        foreach (var item in PyIteration.Iterate(value, session))
        {
            if (!first)
            {
                builder.Append(separator);
            }

            first = false;
            builder.Append(PyRepr.Str(getter is null ? item : getter.Get(item)));
            session.ChargeString(builder.Length);
        }

        return builder.ToString();
    }

    public static object? Sort(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("sort", ["reverse", "case_sensitive", "attribute"], [PyBox.False, PyBox.False, null]);
        var getters = AttributeGetter.CreateMany(values[2], ignoreCase: !PyOps.Truthy(values[1]));
        var items = PyIteration.ToList(value, session).ToArray();
        var keys = new object?[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            keys[i] = getters.Length == 1 ? getters[0].Get(items[i]) : new PyList(Array.ConvertAll(getters, g => g.Get(items[i])).ToList());
        }

        return new PyList(SortByKeys(items, keys, PyOps.Truthy(values[0])));
    }

    /// <summary>Python's stable <c>sorted(items, key=..., reverse=...)</c>.</summary>
    public static List<object?> SortByKeys(object?[] items, object?[] keys, bool reverse)
    {
        var order = new int[items.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        PySorting.Sort(order, (a, b) => PyOps.Compare(keys[a], keys[b], "<") < 0, reverse);
        var sorted = new List<object?>(items.Length);
        foreach (var index in order)
        {
            sorted.Add(items[index]);
        }

        return sorted;
    }

    public static object? Unique(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("unique", ["case_sensitive", "attribute"], [PyBox.False, null]);
        var getter = AttributeGetter.Create(values[1], ignoreCase: !PyOps.Truthy(values[0]));
        return new PyIterator(UniqueItems(session, value, getter).GetEnumerator(), "generator");
    }

    private static IEnumerable<object?> UniqueItems(RenderSession session, object? value, AttributeGetter getter)
    {
        var seen = new PyDict();
        foreach (var item in PyIteration.Iterate(value, session))
        {
            var key = getter.Get(item);
            if (!seen.ContainsKey(key))
            {
                seen.Set(key, null);
                yield return item;
            }
        }
    }

    public static object? DictSort(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("dictsort", ["case_sensitive", "by", "reverse"], [PyBox.False, "key", PyBox.False]);
        var position = PyRepr.Str(values[1]) switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw PyErrors.FilterArgument("You can only sort by either \"key\" or \"value\""),
        };
        if (value is not PyDict dict)
        {
            throw PyErrors.TypeError($"'{PyTypeNames.Of(value)}' object has no attribute 'items'");
        }

        var items = new object?[dict.Count];
        var keys = new object?[dict.Count];
        for (var i = 0; i < dict.Count; i++)
        {
            items[i] = new PyTuple([dict.KeyAt(i), dict.ValueAt(i)]);
            var key = position == 0 ? dict.KeyAt(i) : dict.ValueAt(i);
            keys[i] = PyOps.Truthy(values[0]) ? key : AttributeGetter.IgnoreCase(key);
        }

        return new PyList(SortByKeys(items, keys, PyOps.Truthy(values[2])));
    }

    public static object? Items(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("items", [], []);
        if (value is Undefined)
        {
            return new PyIterator(Enumerable.Empty<object?>().GetEnumerator(), "generator");
        }

        if (value is not PyDict dict)
        {
            throw PyErrors.TypeError("Can only get item pairs from a mapping.");
        }

        return new PyIterator(PyIteration.Iterate(new PyDictView(dict, DictViewKind.Items), session).GetEnumerator(), "generator");
    }

    public static object? Min(RenderSession session, object? value, CallArguments args) => MinOrMax(session, value, args, "min");

    public static object? Max(RenderSession session, object? value, CallArguments args) => MinOrMax(session, value, args, "max");

    private static object? MinOrMax(RenderSession session, object? value, CallArguments args, string name)
    {
        var values = args.Bind(name, ["case_sensitive", "attribute"], [PyBox.False, null]);
        var getter = AttributeGetter.Create(values[1], ignoreCase: !PyOps.Truthy(values[0]));
        var found = false;
        object? best = null;
        object? bestKey = null;
        foreach (var item in PyIteration.Iterate(value, session))
        {
            var key = getter.Get(item);
            if (!found || (name == "min" ? PyOps.Compare(key, bestKey, "<") < 0 : PyOps.Compare(key, bestKey, ">") > 0))
            {
                best = item;
                bestKey = key;
                found = true;
            }
        }

        return found ? best : Undefined.WithHint("No aggregated item, sequence was empty.");
    }

    public static object? Sum(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("sum", ["attribute", "start"], [null, PyBox.Int(0)]);
        var getter = values[0] is null ? null : AttributeGetter.Create(values[0]);
        var total = values[1];
        if (PyString.TryGet(total, out _))
        {
            throw PyErrors.TypeError("sum() can't sum strings [use ''.join(seq) instead]");
        }

        foreach (var item in PyIteration.Iterate(value, session))
        {
            total = PyArithmetic.Add(total, getter is null ? item : getter.Get(item), session);
        }

        return total;
    }

    public static object? Batch(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("batch", ["linecount", "fill_with"], [null]);
        if (!PyIntegers.TryGetLong(values[0], out var size))
        {
            throw PyErrors.TypeError("batch size must be an integer");
        }

        return new PyIterator(BatchItems(session, value, size, values[1]).GetEnumerator(), "generator");
    }

    private static IEnumerable<object?> BatchItems(RenderSession session, object? value, long size, object? fill)
    {
        var current = new List<object?>();
        foreach (var item in PyIteration.Iterate(value, session))
        {
            if (current.Count == size)
            {
                yield return new PyList(current);
                current = [];
            }

            current.Add(item);
        }

        if (current.Count > 0)
        {
            if (fill is not null)
            {
                while (current.Count < size)
                {
                    session.Tick();
                    current.Add(fill);
                }
            }

            yield return new PyList(current);
        }
    }

    public static object? Slice(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("slice", ["slices", "fill_with"], [null]);
        if (!PyIntegers.TryGetLong(values[0], out var slices) || slices <= 0)
        {
            throw PyErrors.ZeroDivision("integer division or modulo by zero");
        }

        var items = PyIteration.ToList(value, session);
        return new PyIterator(SliceItems(session, items, slices, values[1]).GetEnumerator(), "generator");
    }

    private static IEnumerable<object?> SliceItems(RenderSession session, List<object?> items, long slices, object? fill)
    {
        var perSlice = items.Count / slices;
        var withExtra = items.Count % slices;
        var offset = 0L;
        for (var number = 0L; number < slices; number++)
        {
            session.Tick();
            var start = offset + (number * perSlice);
            if (number < withExtra)
            {
                offset++;
            }

            var end = offset + ((number + 1) * perSlice);
            var chunk = items.GetRange((int)start, (int)(end - start));
            if (fill is not null && number >= withExtra)
            {
                chunk.Add(fill);
            }

            yield return new PyList(chunk);
        }
    }

    public static object? GroupBy(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("groupby", ["attribute", "default", "case_sensitive"], [null, PyBox.False]);
        var caseSensitive = PyOps.Truthy(values[2]);
        var keyGetter = AttributeGetter.Create(values[0], ignoreCase: !caseSensitive, defaultValue: values[1]);
        var outputGetter = AttributeGetter.Create(values[0], defaultValue: values[1]);
        var items = PyIteration.ToList(value, session).ToArray();
        var keys = Array.ConvertAll(items, keyGetter.Get);
        var sorted = SortByKeys(items, keys, reverse: false);
        var groups = new List<(object? Key, List<object?> Members)>();
        foreach (var item in sorted)
        {
            var key = keyGetter.Get(item);
            if (groups.Count == 0 || !PyOps.Equal(key, groups[^1].Key))
            {
                groups.Add((key, []));
            }

            groups[^1].Members.Add(item);
        }

        return new PyList(groups.ConvertAll(group => (object?)new PyTuple(
            [caseSensitive ? group.Key : outputGetter.Get(group.Members[0]), new PyList(group.Members)], ["grouper", "list"])));
    }

    public static object? Default(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("default", ["default_value", "boolean"], [string.Empty, PyBox.False]);
        return value is Undefined || (PyOps.Truthy(values[1]) && !PyOps.Truthy(value)) ? values[0] : value;
    }

    public static object? Attr(RenderSession session, object? value, CallArguments args)
    {
        var name = args.Bind("attr", ["name"], [])[0];
        if (!PyString.TryGet(name, out var attribute))
        {
            throw PyErrors.TypeError("attribute name must be a string");
        }

        if (value is Undefined undefined && !attribute.StartsWith("__", StringComparison.Ordinal))
        {
            throw undefined.ToException();
        }

        return PyAccess.TryGetAttribute(value, attribute, out var result) ? result : Undefined.ForMember(value, attribute);
    }

    public static object? ToJson(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("tojson", ["ensure_ascii", "indent", "separators", "sort_keys"], [PyBox.False, null, null, PyBox.False]);
        return PyJson.Dumps(value, PyOps.Truthy(values[0]), values[1], values[2], PyOps.Truthy(values[3]), session);
    }
}
