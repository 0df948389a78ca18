using System.Numerics;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>Numeric filters: <c>int</c>, <c>float</c>, <c>abs</c>, <c>round</c>, with Python's conversions and fallbacks.</summary>
internal static class NumberFilters
{
    public static object? Int(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("int", ["default", "base"], [PyBox.Int(0), PyBox.Int(10)]);
        switch (value)
        {
            case Undefined undefined:
                throw undefined.ToException();
            case long or BigInteger:
                return value;
            case bool b:
                return PyBox.Int(b ? 1 : 0);
            case double d:
                return FromDouble(d, values[0]);
            case string or Markup:
                PyString.TryGet(value, out var text);
                var radix = PyIntegers.TryGetLong(values[1], out var r) ? r : 10;
                if (PyNumberParsing.TryParseInt(text, radix, out var parsed))
                {
                    return parsed;
                }

                return PyNumberParsing.TryParseFloat(text, out var asFloat) ? FromDouble(asFloat, values[0]) : values[0];
            default:
                return values[0];
        }
    }

    private static object? FromDouble(double value, object? fallback)
    {
        if (double.IsNaN(value))
        {
            return fallback;
        }

        if (double.IsInfinity(value))
        {
            throw PyErrors.Overflow("cannot convert float infinity to integer");
        }

        return PyIntegers.Normalize(new BigInteger(Math.Truncate(value)));
    }

    public static object? Float(RenderSession session, object? value, CallArguments args)
    {
        var fallback = args.Bind("float", ["default"], [0.0])[0];
        switch (value)
        {
            case Undefined undefined:
                throw undefined.ToException();
            case double:
                return value;
            case long or bool or BigInteger:
                return PyArithmetic.ToDouble(value);
            case string or Markup:
                PyString.TryGet(value, out var text);
                return PyNumberParsing.TryParseFloat(text, out var parsed) ? parsed : fallback;
            default:
                return fallback;
        }
    }

    public static object? Abs(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("abs", [], []);
        return value switch
        {
            long l => l == long.MinValue ? PyIntegers.Normalize(BigInteger.Abs(l)) : PyBox.Int(Math.Abs(l)),
            double d => Math.Abs(d),
            bool b => PyBox.Int(b ? 1 : 0),
            BigInteger big => PyIntegers.Normalize(BigInteger.Abs(big)),
            _ => throw PyErrors.TypeError($"bad operand type for abs(): '{PyTypeNames.Of(value)}'"),
        };
    }

    public static object? Round(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("round", ["precision", "method"], [PyBox.Int(0), "common"]);
        var method = PyRepr.Str(values[1]);
        if (method is not ("common" or "ceil" or "floor"))
        {
            throw PyErrors.FilterArgument("method must be common, ceil or floor");
        }

        if (!PyIntegers.TryGetLong(values[0], out var precision))
        {
            throw PyErrors.TypeError($"'{PyTypeNames.Of(values[0])}' object cannot be interpreted as an integer");
        }

        if (method == "common")
        {
            return value switch
            {
                double d => PyDecimal.Round(d, precision),
                long or bool or BigInteger => RoundInteger(value, precision),
                Undefined undefined => throw undefined.ToException(),
                _ => throw PyErrors.TypeError($"type {PyTypeNames.Of(value)} doesn't define __round__ method"),
            };
        }

        var scale = PyArithmetic.Power(PyBox.Int(10), PyBox.Int(precision));
        var scaled = PyArithmetic.ToDouble(PyArithmetic.Multiply(value, scale, session));
        var rounded = method == "ceil" ? Math.Ceiling(scaled) : Math.Floor(scaled);
        if (double.IsInfinity(rounded) || double.IsNaN(rounded))
        {
            throw PyErrors.Overflow("cannot convert float infinity to integer");
        }

        return PyArithmetic.TrueDivide(PyIntegers.Normalize(new BigInteger(rounded)), scale);
    }

    private static object RoundInteger(object? value, long precision)
    {
        PyIntegers.TryGetBig(value, out var number);
        if (precision >= 0)
        {
            return PyIntegers.Normalize(number);
        }

        if (precision < -4300)
        {
            return PyBox.Int(0);
        }

        var unit = BigInteger.Pow(10, (int)-precision);
        var quotient = PyIntegers.FloorDivide(number, unit);
        var remainder = number - (quotient * unit);
        var twice = remainder * 2;
        if (twice > unit || (twice == unit && !quotient.IsEven))
        {
            quotient += 1;
        }

        return PyIntegers.Normalize(quotient * unit);
    }
}
