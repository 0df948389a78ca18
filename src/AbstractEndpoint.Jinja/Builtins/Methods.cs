using System.Numerics;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>Calls a bound method: the non-mutating methods of str, dict, list, tuple and range, plus loop and cycler methods.</summary>
internal static class Methods
{
    public static object? Invoke(RenderSession session, object? receiver, string name, CallArguments args)
    {
        switch (receiver)
        {
            case string s:
                return StringMethods.Invoke(session, s, false, name, args);
            case Markup m:
                return StringMethods.Invoke(session, m.Value, true, name, args);
            case PyDict dict:
                return DictMethod(dict, name, args);
            case PyList list:
                return SequenceMethod(list.Items, name, args, () => new PyList([.. list.Items]));
            case PyTuple tuple:
                return SequenceMethod(tuple.Items, name, args, () => tuple);
            case LoopContext loop:
                return name == "cycle" ? loop.Cycle(args) : PyBox.Bool(loop.Changed(args));
            case Cycler cycler:
                Expect(name, args, 0);
                if (name == "next")
                {
                    return cycler.Next();
                }

                cycler.Reset();
                return null;
            case PyRange range:
                Expect(name, args, 1);
                var position = IndexInRange(range, args.Positional[0]);
                if (name == "count")
                {
                    return PyBox.Int(position >= 0 ? 1 : 0);
                }

                return position >= 0 ? PyBox.Int(position) : throw PyErrors.ValueError($"{PyRepr.Repr(args.Positional[0])} is not in range");
            default:
                return NumberMethod(receiver, name, args);
        }
    }

    private static void Expect(string name, CallArguments args, int count)
    {
        if (args.Count != count || args.HasKeywords)
        {
            throw PyErrors.TypeError($"{name}() takes exactly {count} argument(s) ({args.Count} given)");
        }
    }

    private static object? DictMethod(PyDict dict, string name, CallArguments args)
    {
        switch (name)
        {
            case "get":
                if (args.Count is < 1 or > 2 || args.HasKeywords)
                {
                    throw PyErrors.TypeError($"get expected at most 2 arguments, got {args.Count}");
                }

                PyOps.EnsureHashable(args.Positional[0]);
                return dict.TryGetValue(args.Positional[0], out var value) ? value : (args.Count > 1 ? args.Positional[1] : null);
            case "items":
                Expect(name, args, 0);
                return new PyDictView(dict, DictViewKind.Items);
            case "keys":
                Expect(name, args, 0);
                return new PyDictView(dict, DictViewKind.Keys);
            case "values":
                Expect(name, args, 0);
                return new PyDictView(dict, DictViewKind.Values);
            default:
                Expect(name, args, 0);
                return dict.Copy();
        }
    }

    private static object? SequenceMethod(IReadOnlyList<object?> items, string name, CallArguments args, Func<object> copy)
    {
        switch (name)
        {
            case "count":
                Expect(name, args, 1);
                var count = 0;
                foreach (var item in items)
                {
                    if (PyOps.Equal(item, args.Positional[0]))
                    {
                        count++;
                    }
                }

                return PyBox.Int(count);
            case "index":
                if (args.Count is < 1 or > 3 || args.HasKeywords)
                {
                    throw PyErrors.TypeError($"index expected at least 1 argument, got {args.Count}");
                }

                var start = args.Count > 1 && PyIntegers.TryGetLong(args.Positional[1], out var s) ? Clamp(s, items.Count) : 0;
                var end = args.Count > 2 && PyIntegers.TryGetLong(args.Positional[2], out var e) ? Clamp(e, items.Count) : items.Count;
                for (var i = start; i < end; i++)
                {
                    if (PyOps.Equal(items[i], args.Positional[0]))
                    {
                        return PyBox.Int(i);
                    }
                }

                throw PyErrors.ValueError($"{PyRepr.Repr(args.Positional[0])} is not in list");
            default:
                Expect(name, args, 0);
                return copy();
        }
    }

    private static int Clamp(long index, int count) => (int)(index < 0 ? Math.Max(0, index + count) : Math.Min(index, count));

    private static long IndexInRange(PyRange range, object? value)
    {
        if (!PyIntegers.TryGetLong(value, out var n))
        {
            return -1;
        }

        var offset = n - range.Start;
        if (offset % range.Step != 0)
        {
            return -1;
        }

        var index = offset / range.Step;
        return index >= 0 && index < range.Count ? index : -1;
    }

    private static object? NumberMethod(object? receiver, string name, CallArguments args)
    {
        Expect(name, args, 0);
        return (receiver, name) switch
        {
            (double d, "is_integer") => PyBox.Bool(!double.IsInfinity(d) && Math.Floor(d) == d),
            (double d, "conjugate") => d,
            (_, "conjugate") => receiver is bool b ? PyBox.Int(b ? 1 : 0) : receiver,
            (_, "bit_length") when PyIntegers.TryGetBig(receiver, out var big) => PyBox.Int((long)BigInteger.Abs(big).GetBitLength()),
            _ => throw PyErrors.TypeError($"'{PyTypeNames.Of(receiver)}' object has no callable attribute '{name}'"),
        };
    }
}
