using System.Numerics;
using System.Runtime.CompilerServices;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>Python's truthiness, equality, hashing, ordering, <c>in</c> and <c>len</c> over template values.</summary>
internal static class PyOps
{
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        BigInteger => true,
        Undefined => false,
        PyList list => list.Count > 0,
        PyTuple tuple => tuple.Count > 0,
        PyDict dict => dict.Count > 0,
        Markup m => m.Value.Length > 0,
        PyRange range => range.Count > 0,
        PyDictView view => view.Dict.Count > 0,
        _ => true,
    };

    public static bool Equal(object? left, object? right) => Equal(left, right, 0);

    private static bool Equal(object? left, object? right, int depth)
    {
        if (ReferenceEquals(left, right))
        {
            return left is not double d || !double.IsNaN(d);
        }

        switch (left)
        {
            case string s:
                return right switch
                {
                    string t => string.Equals(s, t, StringComparison.Ordinal),
                    Markup m => string.Equals(s, m.Value, StringComparison.Ordinal),
                    _ => false,
                };
            case Markup markup:
                return PyString.TryGet(right, out var other) && string.Equals(markup.Value, other, StringComparison.Ordinal);
            case long or bool or double or BigInteger:
                return NumericEqual(left, right);
            case null:
                return right is null;
            case Undefined:
                return right is Undefined;
            case PyList list:
                return right is PyList otherList && SequenceEqual(list.Items, otherList.Items, depth);
            case PyTuple tuple:
                return right is PyTuple otherTuple && SequenceEqual(tuple.Items, otherTuple.Items, depth);
            case PyDict dict:
                return right is PyDict otherDict && DictEqual(dict, otherDict, depth);
            case PyRange range:
                return right is PyRange r && range.Count == r.Count
                    && (range.Count == 0 || (range.Start == r.Start && (range.Count == 1 || range.Step == r.Step)));
            default:
                return false;
        }
    }

    private static bool NumericEqual(object? left, object? right)
    {
        if (left is double || right is double)
        {
            if (!TryGetDouble(left, out var a, out var aIsFloat) || !TryGetDouble(right, out var b, out var bIsFloat))
            {
                return false;
            }

            if (aIsFloat && bIsFloat)
            {
                return a == b;
            }

            // int vs float compares exactly, not after rounding the int to a float.
            var floatValue = aIsFloat ? a : b;
            var intValue = aIsFloat ? right : left;
            if (double.IsNaN(floatValue) || double.IsInfinity(floatValue) || Math.Floor(floatValue) != floatValue)
            {
                return false;
            }

            return PyIntegers.TryGetBig(intValue, out var exact) && exact == new BigInteger(floatValue);
        }

        if (left is long x && right is long y)
        {
            return x == y;
        }

        return PyIntegers.TryGetBig(left, out var l) && PyIntegers.TryGetBig(right, out var r) && l == r;
    }

    private static bool TryGetDouble(object? value, out double result, out bool isFloat)
    {
        isFloat = value is double;
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case long l:
                result = l;
                return true;
            case bool b:
                result = b ? 1 : 0;
                return true;
            case BigInteger big:
                result = (double)big;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static bool SequenceEqual(IReadOnlyList<object?> left, IReadOnlyList<object?> right, int depth)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        CheckDepth(depth);
        for (var i = 0; i < left.Count; i++)
        {
            if (!Equal(left[i], right[i], depth + 1))
            {
                return false;
            }
        }

        return true;
    }

    private static bool DictEqual(PyDict left, PyDict right, int depth)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        CheckDepth(depth);
        for (var i = 0; i < left.Count; i++)
        {
            if (!right.TryGetValue(left.KeyAt(i), out var value) || !Equal(left.ValueAt(i), value, depth + 1))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckDepth(int depth)
    {
        RenderSession.EnsureStack();
        if (depth > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("value nesting is too deep to compare");
        }
    }

    public static void EnsureHashable(object? value)
    {
        switch (value)
        {
            case PyList or PyDict or PyDictView or PySlice:
                throw PyErrors.TypeError($"unhashable type: '{PyTypeNames.Of(value)}'");
            case PyTuple tuple:
                RenderSession.EnsureStack();
                foreach (var item in tuple.Items)
                {
                    EnsureHashable(item);
                }

                break;
        }
    }

    public static int Hash(object? value)
    {
        switch (value)
        {
            case null:
                return 0x5f3759df;
            case string s:
                return string.GetHashCode(s, StringComparison.Ordinal);
            case Markup m:
                return string.GetHashCode(m.Value, StringComparison.Ordinal);
            case bool b:
                return b ? 1 : 0;
            case long l:
                return l.GetHashCode();
            case double d:
                return Math.Floor(d) == d && d >= long.MinValue && d < long.MaxValue ? ((long)d).GetHashCode() : d.GetHashCode();
            case BigInteger big:
                return big.GetHashCode();
            case PyTuple tuple:
                RenderSession.EnsureStack();
                var hash = new HashCode();
                foreach (var item in tuple.Items)
                {
                    hash.Add(Hash(item));
                }

                return hash.ToHashCode();
            case Undefined:
                return 0x0badf00d;
            default:
                return RuntimeHelpers.GetHashCode(value);
        }
    }

    /// <summary>Python ordering (&lt;): numbers with numbers, str with str, list with list, tuple with tuple.</summary>
    public static int Compare(object? left, object? right, string op)
    {
        if (left is long a && right is long b)
        {
            return a.CompareTo(b);
        }

        if (left is Undefined undefinedLeft)
        {
            throw undefinedLeft.ToException();
        }

        if (right is Undefined undefinedRight)
        {
            throw undefinedRight.ToException();
        }

        if (IsNumber(left) && IsNumber(right))
        {
            return CompareNumbers(left, right, op);
        }

        if (PyString.TryGet(left, out var ls) && PyString.TryGet(right, out var rs))
        {
            return CodePointComparer.Instance.Compare(ls, rs);
        }

        if (left is PyList ll && right is PyList rl)
        {
            return CompareSequences(ll.Items, rl.Items, op);
        }

        if (left is PyTuple lt && right is PyTuple rt)
        {
            return CompareSequences(lt.Items, rt.Items, op);
        }

        throw PyErrors.TypeError($"'{op}' not supported between instances of '{PyTypeNames.Of(left)}' and '{PyTypeNames.Of(right)}'");
    }

    public static bool IsNumber(object? value) => value is long or double or bool or BigInteger;

    private static int CompareNumbers(object? left, object? right, string op)
    {
        if (left is double || right is double)
        {
            TryGetDouble(left, out var x, out _);
            TryGetDouble(right, out var y, out _);
            if (double.IsNaN(x) || double.IsNaN(y))
            {
                // Every ordering comparison with NaN is false; callers map this sentinel to false.
                return op is "<" or "<=" ? 1 : -1;
            }

            if (left is BigInteger || right is BigInteger)
            {
                return CompareBigWithDouble(left, right);
            }

            return x.CompareTo(y);
        }

        PyIntegers.TryGetBig(left, out var l);
        PyIntegers.TryGetBig(right, out var r);
        return l.CompareTo(r);
    }

    private static int CompareBigWithDouble(object? left, object? right)
    {
        if (left is double d)
        {
            return -CompareBigWithDouble(right, left);
        }

        PyIntegers.TryGetBig(left, out var big);
        var other = (double)right!;
        if (double.IsInfinity(other))
        {
            return other > 0 ? -1 : 1;
        }

        var floor = new BigInteger(Math.Floor(other));
        var cmp = big.CompareTo(floor);
        return cmp != 0 ? cmp : (Math.Floor(other) == other ? 0 : -1);
    }

    private static int CompareSequences(IReadOnlyList<object?> left, IReadOnlyList<object?> right, string op)
    {
        RenderSession.EnsureStack();
        var n = Math.Min(left.Count, right.Count);
        for (var i = 0; i < n; i++)
        {
            if (!Equal(left[i], right[i]))
            {
                return Compare(left[i], right[i], op);
            }
        }

        return left.Count.CompareTo(right.Count);
    }

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item, RenderSession session)
    {
        switch (container)
        {
            case string or Markup:
                PyString.TryGet(container, out var haystack);
                if (!PyString.TryGet(item, out var needle))
                {
                    if (item is Undefined undefined)
                    {
                        throw undefined.ToException();
                    }

                    throw PyErrors.TypeError($"'in <string>' requires string as left operand, not {PyTypeNames.Of(item)}");
                }

                return haystack.Contains(needle, StringComparison.Ordinal);
            case PyList list:
                return SequenceContains(list.Items, item);
            case PyTuple tuple:
                return SequenceContains(tuple.Items, item);
            case PyDict dict:
                EnsureHashable(item);
                return dict.ContainsKey(item);
            case PyDictView view when view.Kind == DictViewKind.Keys:
                EnsureHashable(item);
                return view.Dict.ContainsKey(item);
            case PyRange range:
                if (!PyIntegers.TryGetLong(item, out var n) && !(item is double d && Math.Floor(d) == d && (n = (long)d) == d))
                {
                    return false;
                }

                if (range.Step > 0 ? n < range.Start || n >= range.Stop : n > range.Start || n <= range.Stop)
                {
                    return false;
                }

                return (n - range.Start) % range.Step == 0;
            case Undefined:
                return false;
            case PyIterator or PyDictView:
                foreach (var candidate in PyIteration.Iterate(container, session))
                {
                    if (Equal(candidate, item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                throw PyErrors.TypeError($"argument of type '{PyTypeNames.Of(container)}' is not iterable");
        }
    }

    private static bool SequenceContains(IReadOnlyList<object?> items, object? item)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (Equal(items[i], item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Python's <c>len()</c>.</summary>
    public static int Length(object? value) => value switch
    {
        string s => PyString.Length(s),
        Markup m => PyString.Length(m.Value),
        PyList list => list.Count,
        PyTuple tuple => tuple.Count,
        PyDict dict => dict.Count,
        PyDictView view => view.Dict.Count,
        PyRange range => range.Count,
        Undefined => 0,
        _ => throw PyErrors.TypeError($"object of type '{PyTypeNames.Of(value)}' has no len()"),
    };

    public static bool HasLength(object? value) =>
        value is string or Markup or PyList or PyTuple or PyDict or PyDictView or PyRange or Undefined;
}
