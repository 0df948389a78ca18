using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// The names every template sees: Jinja2's <c>range</c> (capped at 100,000 items like the sandbox's),
/// <c>dict</c>, <c>namespace</c>, <c>cycler</c>, <c>joiner</c>, and transformers' <c>raise_exception</c> and
/// <c>strftime_now</c>. The render context shadows them.
/// </summary>
internal static class Globals
{
    /// <summary>Jinja2's sandbox refuses ranges longer than this (MAX_RANGE).</summary>
    public const int MaxRange = 100_000;

    private static readonly Dictionary<string, object?> Table = new(StringComparer.Ordinal)
    {
        ["range"] = new BuiltinFunction("range", "type", Range),
        ["dict"] = new BuiltinFunction("dict", "type", (session, args) => Dict(args)),
        ["namespace"] = new BuiltinFunction("Namespace", "type", (session, args) => new PyNamespace(Dict(args))),
        ["cycler"] = new BuiltinFunction("Cycler", "type", Cycler),
        ["joiner"] = new BuiltinFunction("Joiner", "type", Joiner),
        ["raise_exception"] = new BuiltinFunction("raise_exception", "function", RaiseException),
        ["strftime_now"] = new BuiltinFunction("strftime_now", "function", StrftimeNow),
    };

    public static bool TryGet(string name, out object? value) => Table.TryGetValue(name, out value);

    private static object? Range(RenderSession session, CallArguments args)
    {
        if (args.HasKeywords)
        {
            throw PyErrors.TypeError("range() takes no keyword arguments");
        }

        var bounds = new long[args.Count];
        for (var i = 0; i < bounds.Length; i++)
        {
            if (!PyIntegers.TryGetLong(args.Positional[i], out bounds[i]))
            {
                if (args.Positional[i] is Undefined undefined)
                {
                    throw undefined.ToException();
                }

                if (args.Positional[i] is System.Numerics.BigInteger)
                {
                    throw PyErrors.Overflow($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
                }

                throw PyErrors.TypeError($"'{PyTypeNames.Of(args.Positional[i])}' object cannot be interpreted as an integer");
            }
        }

        var (start, stop, step) = bounds.Length switch
        {
            1 => (0L, bounds[0], 1L),
            2 => (bounds[0], bounds[1], 1L),
            3 => (bounds[0], bounds[1], bounds[2]),
            0 => throw PyErrors.TypeError("range expected at least 1 argument, got 0"),
            _ => throw PyErrors.TypeError($"range expected at most 3 arguments, got {bounds.Length}"),
        };
        if (step == 0)
        {
            throw PyErrors.ValueError("range() arg 3 must not be zero");
        }

        var length = step > 0
            ? (stop > start ? (((decimal)stop - start - 1) / step) + 1 : 0)
            : (stop < start ? (((decimal)start - stop - 1) / -step) + 1 : 0);
        if (Math.Floor(length) > MaxRange)
        {
            throw PyErrors.Overflow($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        }

        return new PyRange(start, stop, step);
    }

    /// <summary>Python's <c>dict(mapping_or_pairs, **kwargs)</c>.</summary>
    private static PyDict Dict(CallArguments args)
    {
        if (args.Count > 1)
        {
            throw PyErrors.TypeError($"dict expected at most 1 argument, got {args.Count}");
        }

        var dict = new PyDict();
        if (args.Count == 1)
        {
            switch (args.Positional[0])
            {
                case PyDict source:
                    for (var i = 0; i < source.Count; i++)
                    {
                        dict.Set(source.KeyAt(i), source.ValueAt(i));
                    }

                    break;
                case PyList or PyTuple or PyIterator or PyDictView:
                    var index = 0;
                    foreach (var pair in AsPairs(args.Positional[0]))
                    {
                        if (pair is not (PyList or PyTuple) || PyOps.Length(pair) != 2)
                        {
                            throw PyErrors.ValueError($"dictionary update sequence element #{index} has length {(PyOps.HasLength(pair) ? PyOps.Length(pair) : 1)}; 2 is required");
                        }

                        var items = pair is PyList l ? (IReadOnlyList<object?>)l.Items : ((PyTuple)pair).Items;
                        dict.Set(items[0], items[1]);
                        index++;
                    }

                    break;
                case Undefined undefined:
                    throw undefined.ToException();
                default:
                    throw PyErrors.TypeError($"'{PyTypeNames.Of(args.Positional[0])}' object is not iterable");
            }
        }

        for (var i = 0; i < args.KeywordNames.Length; i++)
        {
            dict.Set(args.KeywordNames[i], args.KeywordValues[i]);
        }

        return dict;
    }

    private static IEnumerable<object?> AsPairs(object? source) => source switch
    {
        PyList list => list.Items,
        PyTuple tuple => tuple.Items,
        PyIterator iterator => iterator.Drain(),
        PyDictView view => Enumerable.Range(0, view.Dict.Count).Select(view.ItemAt),
        _ => [],
    };

    private static object? Cycler(RenderSession session, CallArguments args)
    {
        if (args.Count == 0)
        {
            throw PyErrors.Runtime("at least one item has to be provided");
        }

        return new Cycler(args.Positional);
    }

    private static object? Joiner(RenderSession session, CallArguments args)
    {
        var separator = args.Bind("joiner", ["sep"], [", "])[0];
        return new Joiner(PyRepr.Str(separator));
    }

    private static object? RaiseException(RenderSession session, CallArguments args)
    {
        var message = args.Bind("raise_exception", ["message"], [])[0];
        var text = PyRepr.Str(message);
        throw new JinjaRenderException(text, "TemplateError", text);
    }

    private static object? StrftimeNow(RenderSession session, CallArguments args)
    {
        var format = args.Bind("strftime_now", ["format"], [])[0];
        if (!PyString.TryGet(format, out var text))
        {
            throw PyErrors.TypeError($"strftime() argument 1 must be str, not {PyTypeNames.Of(format)}");
        }

        var custom = session.Options.StrftimeNow;
        return custom is not null ? custom(text) : PyStrftime.Format(session.Options.Clock(), text);
    }
}
