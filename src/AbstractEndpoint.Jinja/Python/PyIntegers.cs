using System.Numerics;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python ints: <c>long</c> while they fit, <see cref="BigInteger"/> beyond, never silently wrapping. Values beyond
/// Python's 4300-digit string-conversion limit are refused, which also bounds the cost of <c>2 ** 10 ** 9</c>.
/// </summary>
internal static class PyIntegers
{
    /// <summary>About 4300 decimal digits, the size Python refuses to print.</summary>
    public const int MaxBits = 14_300;

    public static object Normalize(BigInteger value)
    {
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return PyBox.Int((long)value);
        }

        if (value.GetBitLength() > MaxBits)
        {
            throw new JinjaLimitException("integer result exceeds the limit of 4300 digits");
        }

        return value;
    }

    /// <summary>An int (or bool, which is an int in Python) as a BigInteger.</summary>
    public static bool TryGetBig(object? value, out BigInteger result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case bool b:
                result = b ? BigInteger.One : BigInteger.Zero;
                return true;
            case BigInteger big:
                result = big;
                return true;
            default:
                result = BigInteger.Zero;
                return false;
        }
    }

    /// <summary>An int or bool that fits in a long (what indexes, counts and widths need).</summary>
    public static bool TryGetLong(object? value, out long result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case bool b:
                result = b ? 1 : 0;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    public static bool IsInteger(object? value) => value is long or bool or BigInteger;

    public static object Add(long a, long b)
    {
        var sum = unchecked(a + b);
        return ((a ^ sum) & (b ^ sum)) < 0 ? Normalize((BigInteger)a + b) : PyBox.Int(sum);
    }

    public static object Subtract(long a, long b)
    {
        var difference = unchecked(a - b);
        return ((a ^ b) & (a ^ difference)) < 0 ? Normalize((BigInteger)a - b) : PyBox.Int(difference);
    }

    public static object Multiply(long a, long b)
    {
        var high = Math.BigMul(a, b, out var low);
        return (high == 0 && low >= 0) || (high == -1 && low < 0) ? PyBox.Int(low) : Normalize((BigInteger)a * b);
    }

    public static BigInteger FloorDivide(BigInteger a, BigInteger b)
    {
        var quotient = BigInteger.DivRem(a, b, out var remainder);
        return remainder != 0 && (remainder.Sign < 0) != (b.Sign < 0) ? quotient - 1 : quotient;
    }

    public static BigInteger Modulo(BigInteger a, BigInteger b)
    {
        var remainder = BigInteger.Remainder(a, b);
        return remainder != 0 && (remainder.Sign < 0) != (b.Sign < 0) ? remainder + b : remainder;
    }

    public static object Power(BigInteger value, long exponent)
    {
        if (value.IsZero || value.IsOne || value == BigInteger.MinusOne)
        {
            return Normalize(BigInteger.Pow(value, (int)Math.Min(exponent, 2 + (exponent % 2))));
        }

        var bits = (double)value.GetBitLength() * exponent;
        if (bits > MaxBits + 64)
        {
            throw new JinjaLimitException("integer result exceeds the limit of 4300 digits");
        }

        return Normalize(BigInteger.Pow(value, (int)exponent));
    }

    /// <summary>Python's exact int-to-float conversion (round half to even), raising OverflowError like Python.</summary>
    public static double ToDouble(BigInteger value)
    {
        var result = (double)value;
        if (double.IsInfinity(result))
        {
            throw PyErrors.Overflow("int too large to convert to float");
        }

        return result;
    }
}
