using AbstractEndpoint.Jinja.Builtins;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Attribute and item access with the rules of Jinja2's immutable sandbox. <c>a.b</c> tries the attribute then
/// <c>a['b']</c>; <c>a['b']</c> tries the item then the attribute. Only our own Python-like members exist (string,
/// list and dict methods, loop and namespace attributes); dunder names are "unsafe" (Undefined that raises
/// SecurityError when used), and mutating methods such as <c>list.append</c> are unsafe too, as in the sandbox.
/// Nothing here ever touches .NET members.
/// </summary>
internal static class PyAccess
{
    public static object? GetAttribute(object? target, string name)
    {
        if (target is Undefined undefined)
        {
            throw undefined.ToException();
        }

        if (TryGetAttribute(target, name, out var value))
        {
            return value;
        }

        return TryGetItem(target, name, out value) ? value : Undefined.ForMember(target, name);
    }

    public static object? GetItem(object? target, object? key)
    {
        if (target is Undefined undefined)
        {
            throw undefined.ToException();
        }

        if (TryGetItem(target, key, out var value))
        {
            return value;
        }

        if (PyString.TryGet(key, out var name) && TryGetAttribute(target, name, out value))
        {
            return value;
        }

        return Undefined.ForMember(target, key);
    }

    /// <summary>Direct Python slicing (<c>value[a:b:c]</c>), which Jinja2 does not route through the sandbox.</summary>
    public static object? Slice(object? target, PySlice slice)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.ToException();
            case PyDict:
                throw PyErrors.TypeError("unhashable type: 'slice'");
            case PyList or PyTuple or string or Markup or PyRange:
                var length = PyOps.Length(target);
                if (!PySliceIndices.TryResolve(slice, length, out _, out _, out _))
                {
                    throw PyErrors.TypeError("slice indices must be integers or None or have an __index__ method");
                }

                TryGetItem(target, slice, out var value);
                return value;
            default:
                throw PyErrors.TypeError($"'{PyTypeNames.Of(target)}' object is not subscriptable");
        }
    }

    /// <summary>Python attribute lookup plus the sandbox's safety check.</summary>
    public static bool TryGetAttribute(object? target, string name, out object? value)
    {
        if (name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal))
        {
            // Python objects are full of __dunder__ attributes; the sandbox refuses every one of them.
            value = Undefined.Unsafe(target, name);
            return true;
        }

        value = null;
        switch (target)
        {
            case string or Markup:
                if (StringMethods.IsMethod(name) || (target is Markup && name is "escape" or "unescape" or "striptags"))
                {
                    value = new BoundMethod(target, name);
                    return true;
                }

                return false;
            case PyDict dict:
                return TryMethod(dict, name, ["get", "items", "keys", "values", "copy"], ["pop", "popitem", "setdefault", "update", "clear"], out value);
            case PyList list:
                return TryMethod(list, name, ["copy", "count", "index"], ["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"], out value);
            case PyTuple tuple:
                var field = tuple.FieldNames is null ? -1 : Array.IndexOf(tuple.FieldNames, name);
                if (field >= 0)
                {
                    value = tuple.Items[field];
                    return true;
                }

                return TryMethod(tuple, name, ["count", "index"], [], out value);
            case PyNamespace ns:
                return ns.Attributes.TryGetValue(name, out value);
            case LoopContext loop:
                return loop.TryGetAttribute(name, out value);
            case Cycler cycler:
                return cycler.TryGetAttribute(name, out value);
            case MacroValue macro:
                value = name switch
                {
                    "name" => macro.Name,
                    "arguments" => new PyTuple(macro.Definition.Parameters),
                    "catch_kwargs" => PyBox.Bool(macro.Definition.UsesKwargs),
                    "catch_varargs" => PyBox.Bool(macro.Definition.UsesVarargs),
                    "caller" => PyBox.Bool(macro.Definition.UsesCaller),
                    _ => null,
                };
                return value is not null;
            case Joiner joiner when name == "sep":
                value = joiner.Separator;
                return true;
            case PyRange range:
                value = name switch
                {
                    "start" => PyBox.Int(range.Start),
                    "stop" => PyBox.Int(range.Stop),
                    "step" => PyBox.Int(range.Step),
                    "count" or "index" => new BoundMethod(range, name),
                    _ => null,
                };
                return value is not null;
            case PySlice slice:
                value = name switch
                {
                    "start" => slice.Start,
                    "stop" => slice.Stop,
                    "step" => slice.Step,
                    _ => Undefined.ForMember(slice, name),
                };
                return value is not Undefined;
            case long or bool or System.Numerics.BigInteger:
                return TryNumberAttribute(target, name, isFloat: false, out value);
            case double:
                return TryNumberAttribute(target, name, isFloat: true, out value);
            default:
                return false;
        }
    }

    private static bool TryMethod(object target, string name, string[] safe, string[] mutating, out object? value)
    {
        if (Array.IndexOf(safe, name) >= 0)
        {
            value = new BoundMethod(target, name);
            return true;
        }

        if (Array.IndexOf(mutating, name) >= 0)
        {
            value = Undefined.Unsafe(target, name);
            return true;
        }

        value = null;
        return false;
    }

    private static bool TryNumberAttribute(object? number, string name, bool isFloat, out object? value)
    {
        value = name switch
        {
            "real" => number is bool b ? PyBox.Int(b ? 1 : 0) : number,
            "imag" => isFloat ? 0.0 : PyBox.Int(0),
            "numerator" when !isFloat => number is bool b ? PyBox.Int(b ? 1 : 0) : number,
            "denominator" when !isFloat => PyBox.Int(1),
            "is_integer" or "conjugate" or "bit_length" or "as_integer_ratio" => new BoundMethod(number, name),
            _ => null,
        };
        return value is not null;
    }

    /// <summary>Python subscription; false where Python raises TypeError or LookupError (Jinja2 then tries the attribute).</summary>
    public static bool TryGetItem(object? target, object? key, out object? value)
    {
        value = null;
        switch (target)
        {
            case PyDict dict:
                return IsHashable(key) && dict.TryGetValue(key, out value);
            case PyList list:
                return TrySequenceItem(list.Items, key, out value, items => new PyList([.. items]));
            case PyTuple tuple:
                return TrySequenceItem(tuple.Items, key, out value, items => new PyTuple([.. items]));
            case string s:
                return TryStringItem(s, key, out value);
            case Markup m:
                if (TryStringItem(m.Value, key, out value))
                {
                    value = new Markup((string)value!);
                    return true;
                }

                return false;
            case PyRange range:
                return TryRangeItem(range, key, out value);
            default:
                return false;
        }
    }

    private static bool IsHashable(object? key) => key is not (PyList or PyDict or PyDictView or PySlice);

    private static bool TrySequenceItem(IReadOnlyList<object?> items, object? key, out object? value, Func<IEnumerable<object?>, object> build)
    {
        value = null;
        if (PyIntegers.TryGetLong(key, out var index))
        {
            if (index < 0)
            {
                index += items.Count;
            }

            if (index < 0 || index >= items.Count)
            {
                return false;
            }

            value = items[(int)index];
            return true;
        }

        if (key is PySlice slice && PySliceIndices.TryResolve(slice, items.Count, out var start, out var step, out var count))
        {
            value = build(Stepped(items, start, step, count));
            return true;
        }

        return false;
    }

    private static IEnumerable<object?> Stepped(IReadOnlyList<object?> items, long start, long step, long count)
    {
        for (long i = 0, at = start; i < count; i++, at += step)
        {
            yield return items[(int)at];
        }
    }

    private static bool TryStringItem(string text, object? key, out object? value)
    {
        value = null;
        if (PyIntegers.TryGetLong(key, out var index))
        {
            value = PyString.ItemAt(text, index);
            return value is not null;
        }

        if (key is PySlice slice && PySliceIndices.TryResolve(slice, PyString.Length(text), out var start, out var step, out var count))
        {
            value = PyString.Slice(text, start, step, count);
            return true;
        }

        return false;
    }

    private static bool TryRangeItem(PyRange range, object? key, out object? value)
    {
        value = null;
        if (PyIntegers.TryGetLong(key, out var index))
        {
            if (index < 0)
            {
                index += range.Count;
            }

            if (index < 0 || index >= range.Count)
            {
                return false;
            }

            value = range[(int)index];
            return true;
        }

        if (key is PySlice slice && PySliceIndices.TryResolve(slice, range.Count, out var start, out var step, out var count))
        {
            var first = range.Start + (start * range.Step);
            var newStep = range.Step * step;
            value = new PyRange(first, first + (count * newStep), newStep);
            return true;
        }

        return false;
    }
}
