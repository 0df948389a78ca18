using System.Numerics;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's binary and unary operators: int/float promotion, floor division and modulo rounding toward negative
/// infinity, str/list/tuple concatenation and repetition, and the errors Python raises for everything else.
/// Results that would be huge are checked against the render's limits before they are allocated.
/// </summary>
internal static class PyArithmetic
{
    public static object? Add(object? left, object? right, RenderSession session)
    {
        if (left is long a && right is long b)
        {
            return PyIntegers.Add(a, b);
        }

        if (left is string ls && right is string rs)
        {
            return PyString.Concat(ls, rs, session);
        }

        ThrowIfUndefined(left, right);
        if (left is Markup || right is Markup)
        {
            if (PyString.TryGet(left, out _) && PyString.TryGet(right, out _))
            {
                var text = MarkupOps.EscapedText(left) + MarkupOps.EscapedText(right);
                session.ChargeString(text.Length);
                return new Markup(text);
            }
        }

        if (PyOps.IsNumber(left) && PyOps.IsNumber(right))
        {
            return NumericBinary(left, right, '+');
        }

        switch (left)
        {
            case PyList l when right is PyList r:
                session.ChargeItems((long)l.Count + r.Count);
                var items = new List<object?>(l.Count + r.Count);
                items.AddRange(l.Items);
                items.AddRange(r.Items);
                return new PyList(items);
            case PyTuple lt when right is PyTuple rt:
                session.ChargeItems((long)lt.Count + rt.Count);
                return new PyTuple([.. lt.Items, .. rt.Items]);
            case string or Markup:
                throw PyErrors.TypeError($"can only concatenate str (not \"{PyTypeNames.Of(right)}\") to str");
            case PyList:
                throw PyErrors.TypeError($"can only concatenate list (not \"{PyTypeNames.Of(right)}\") to list");
            case PyTuple:
                throw PyErrors.TypeError($"can only concatenate tuple (not \"{PyTypeNames.Of(right)}\") to tuple");
            default:
                throw PyErrors.UnsupportedOperands("+", left, right);
        }
    }

    public static object? Subtract(object? left, object? right)
    {
        if (left is long a && right is long b)
        {
            return PyIntegers.Subtract(a, b);
        }

        ThrowIfUndefined(left, right);
        if (PyOps.IsNumber(left) && PyOps.IsNumber(right))
        {
            return NumericBinary(left, right, '-');
        }

        throw PyErrors.UnsupportedOperands("-", left, right);
    }

    public static object? Multiply(object? left, object? right, RenderSession session)
    {
        if (left is long a && right is long b)
        {
            return PyIntegers.Multiply(a, b);
        }

        ThrowIfUndefined(left, right);
        if (PyOps.IsNumber(left) && PyOps.IsNumber(right))
        {
            return NumericBinary(left, right, '*');
        }

        if (PyIntegers.IsInteger(left) && !PyIntegers.IsInteger(right))
        {
            (left, right) = (right, left);
        }

        if (left is string or Markup or PyList or PyTuple)
        {
            if (!PyIntegers.IsInteger(right))
            {
                throw PyErrors.TypeError($"can't multiply sequence by non-int of type '{PyTypeNames.Of(right)}'");
            }

            if (right is BigInteger)
            {
                throw PyErrors.Overflow("cannot fit 'int' into an index-sized integer");
            }

            var count = Math.Max(0, PyIntegers.TryGetLong(right, out var n) ? n : 0);
            return Repeat(left, count, session);
        }

        throw PyErrors.UnsupportedOperands("*", left, right);
    }

    private static object Repeat(object sequence, long count, RenderSession session)
    {
        var unit = PyOps.Length(sequence);
        if (count == 0 || unit == 0)
        {
            return sequence switch
            {
                string => string.Empty,
                Markup => new Markup(string.Empty),
                PyList => new PyList(),
                _ => PyTuple.Empty,
            };
        }

        var total = (double)unit * count;
        switch (sequence)
        {
            case string or Markup:
                PyString.TryGet(sequence, out var text);
                session.ChargeString(total > long.MaxValue ? long.MaxValue : (long)text.Length * count);
                var repeated = new System.Text.StringBuilder((int)Math.Min(total, int.MaxValue)).Insert(0, text, (int)count).ToString();
                return sequence is Markup ? new Markup(repeated) : repeated;
            case PyList list:
                session.ChargeItems(total > long.MaxValue ? long.MaxValue : (long)total);
                var items = new List<object?>((int)total);
                for (var i = 0; i < count; i++)
                {
                    items.AddRange(list.Items);
                }

                return new PyList(items);
            default:
                var tuple = (PyTuple)sequence;
                session.ChargeItems(total > long.MaxValue ? long.MaxValue : (long)total);
                var array = new object?[(int)total];
                for (var i = 0; i < count; i++)
                {
                    Array.Copy(tuple.Items, 0, array, i * tuple.Count, tuple.Count);
                }

                return new PyTuple(array);
        }
    }

    public static object? TrueDivide(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        if (!PyOps.IsNumber(left) || !PyOps.IsNumber(right))
        {
            throw PyErrors.UnsupportedOperands("/", left, right);
        }

        var bothInts = left is not double && right is not double;
        var divisor = ToDouble(right);
        if (divisor == 0)
        {
            throw PyErrors.ZeroDivision(bothInts ? "division by zero" : "float division by zero");
        }

        if (bothInts && PyIntegers.TryGetLong(left, out var x) && PyIntegers.TryGetLong(right, out var y)
            && Math.Abs(x) < (1L << 53) && Math.Abs(y) < (1L << 53))
        {
            return (double)x / y;
        }

        return ToDouble(left) / divisor;
    }

    public static object? FloorDivide(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        if (!PyOps.IsNumber(left) || !PyOps.IsNumber(right))
        {
            throw PyErrors.UnsupportedOperands("//", left, right);
        }

        if (left is not double && right is not double)
        {
            PyIntegers.TryGetBig(left, out var a);
            PyIntegers.TryGetBig(right, out var b);
            if (b.IsZero)
            {
                throw PyErrors.ZeroDivision("integer division or modulo by zero");
            }

            return PyIntegers.Normalize(PyIntegers.FloorDivide(a, b));
        }

        var (quotient, _) = FloatDivMod(ToDouble(left), ToDouble(right), "float floor division by zero");
        return quotient;
    }

    public static object? Modulo(object? left, object? right, RenderSession session)
    {
        if (PyString.TryGet(left, out var format))
        {
            var text = PyPercentFormat.Format(format, right, left is Markup, session);
            return left is Markup ? new Markup(text) : text;
        }

        ThrowIfUndefined(left, right);
        if (!PyOps.IsNumber(left) || !PyOps.IsNumber(right))
        {
            throw PyErrors.UnsupportedOperands("%", left, right);
        }

        if (left is not double && right is not double)
        {
            PyIntegers.TryGetBig(left, out var a);
            PyIntegers.TryGetBig(right, out var b);
            if (b.IsZero)
            {
                throw PyErrors.ZeroDivision("integer modulo by zero");
            }

            return PyIntegers.Normalize(PyIntegers.Modulo(a, b));
        }

        var (_, remainder) = FloatDivMod(ToDouble(left), ToDouble(right), "float modulo");
        return remainder;
    }

    /// <summary>CPython's float_divmod, so that signs and rounding match exactly.</summary>
    private static (double Quotient, double Remainder) FloatDivMod(double vx, double wx, string zeroMessage)
    {
        if (wx == 0)
        {
            throw PyErrors.ZeroDivision(zeroMessage);
        }

        var mod = vx % wx;
        var div = (vx - mod) / wx;
        if (mod != 0)
        {
            if ((wx < 0) != (mod < 0))
            {
                mod += wx;
                div -= 1.0;
            }
        }
        else
        {
            mod = Math.CopySign(0.0, wx);
        }

        double floorDiv;
        if (div != 0)
        {
            floorDiv = Math.Floor(div);
            if (div - floorDiv > 0.5)
            {
                floorDiv += 1.0;
            }
        }
        else
        {
            floorDiv = Math.CopySign(0.0, vx / wx);
        }

        return (floorDiv, mod);
    }

    public static object? Power(object? left, object? right)
    {
        ThrowIfUndefined(left, right);
        if (!PyOps.IsNumber(left) || !PyOps.IsNumber(right))
        {
            throw PyErrors.UnsupportedOperands("** or pow()", left, right);
        }

        if (left is not double && right is not double)
        {
            PyIntegers.TryGetBig(left, out var value);
            PyIntegers.TryGetBig(right, out var exponent);
            if (exponent.Sign >= 0)
            {
                if (exponent > int.MaxValue && !(value.IsZero || value.IsOne || value == BigInteger.MinusOne))
                {
                    throw new JinjaLimitException("integer result exceeds the limit of 4300 digits");
                }

                return PyIntegers.Power(value, exponent > int.MaxValue ? (long)(exponent % 2) + 2 : (long)exponent);
            }

            if (value.IsZero)
            {
                throw PyErrors.ZeroDivision("0.0 cannot be raised to a negative power");
            }

            return Math.Pow(ToDouble(left), ToDouble(right));
        }

        var x = ToDouble(left);
        var y = ToDouble(right);
        if (x == 0 && y < 0)
        {
            throw PyErrors.ZeroDivision("0.0 cannot be raised to a negative power");
        }

        if (x < 0 && Math.Floor(y) != y && !double.IsInfinity(y))
        {
            throw PyErrors.ValueError("negative number cannot be raised to a fractional power (complex results are not supported)");
        }

        var result = Math.Pow(x, y);
        if (double.IsInfinity(result) && !double.IsInfinity(x) && !double.IsInfinity(y))
        {
            throw PyErrors.Overflow("(34, 'Numerical result out of range')");
        }

        return result;
    }

    public static object? Negate(object? value) => value switch
    {
        long l => l == long.MinValue ? PyIntegers.Normalize(-(BigInteger)l) : PyBox.Int(-l),
        double d => -d,
        bool b => PyBox.Int(b ? -1 : 0),
        BigInteger big => PyIntegers.Normalize(-big),
        Undefined undefined => throw undefined.ToException(),
        _ => throw PyErrors.TypeError($"bad operand type for unary -: '{PyTypeNames.Of(value)}'"),
    };

    public static object? Plus(object? value) => value switch
    {
        long or double or BigInteger => value,
        bool b => PyBox.Int(b ? 1 : 0),
        Undefined undefined => throw undefined.ToException(),
        _ => throw PyErrors.TypeError($"bad operand type for unary +: '{PyTypeNames.Of(value)}'"),
    };

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        BigInteger big => PyIntegers.ToDouble(big),
        _ => throw PyErrors.TypeError($"must be real number, not {PyTypeNames.Of(value)}"),
    };

    private static object NumericBinary(object? left, object? right, char op)
    {
        if (left is double || right is double)
        {
            var x = ToDouble(left);
            var y = ToDouble(right);
            return op switch
            {
                '+' => x + y,
                '-' => x - y,
                _ => x * y,
            };
        }

        PyIntegers.TryGetBig(left, out var a);
        PyIntegers.TryGetBig(right, out var b);
        return PyIntegers.Normalize(op switch
        {
            '+' => a + b,
            '-' => a - b,
            _ => a * b,
        });
    }

    private static void ThrowIfUndefined(object? left, object? right)
    {
        if (left is Undefined l)
        {
            throw l.ToException();
        }

        if (right is Undefined r)
        {
            throw r.ToException();
        }
    }
}
