using System.Globalization;
using System.Numerics;
using System.Text;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Exact decimal rounding of doubles (round half to even on the exact binary value), which is what Python's
/// <c>round()</c>, <c>'%.2f'</c> and <c>'{:e}'</c> do; .NET's formatting rounds exact ties away from zero instead.
/// </summary>
internal static class PyDecimal
{
    private const int MaxPrecision = 10_000;

    /// <summary>round-half-even(|value| × 10^decimals) as an exact integer; value must be finite.</summary>
    public static BigInteger ScaleRound(double value, int decimals)
    {
        if (Math.Abs(decimals) > MaxPrecision)
        {
            throw new JinjaLimitException("formatting precision is too large");
        }

        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        BigInteger numerator = mantissa;
        var denominator = BigInteger.One;
        if (exponent > 0)
        {
            numerator <<= exponent;
        }
        else
        {
            denominator <<= -exponent;
        }

        if (decimals >= 0)
        {
            numerator *= BigInteger.Pow(10, decimals);
        }
        else
        {
            denominator *= BigInteger.Pow(10, -decimals);
        }

        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        var comparison = (remainder * 2).CompareTo(denominator);
        if (comparison > 0 || (comparison == 0 && !quotient.IsEven))
        {
            quotient += 1;
        }

        return quotient;
    }

    /// <summary>Python's <c>round(value, digits)</c> for a float.</summary>
    public static double Round(double value, long digits)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value == 0)
        {
            return value;
        }

        if (digits > 330)
        {
            return value;
        }

        if (digits < -330)
        {
            return Math.CopySign(0.0, value);
        }

        var scaled = ScaleRound(value, (int)digits);
        var text = digits >= 0
            ? scaled.ToString(CultureInfo.InvariantCulture) + "e-" + digits.ToString(CultureInfo.InvariantCulture)
            : scaled.ToString(CultureInfo.InvariantCulture) + "e" + (-digits).ToString(CultureInfo.InvariantCulture);
        var result = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (double.IsInfinity(result))
        {
            throw PyErrors.Overflow("rounded value too large to represent");
        }

        return Math.CopySign(result, value);
    }

    /// <summary>Digits of |value| in fixed notation with <paramref name="precision"/> decimals ('f').</summary>
    public static string Fixed(double value, int precision, bool alternate = false)
    {
        var digits = ScaleRound(value, precision).ToString(CultureInfo.InvariantCulture);
        if (precision == 0)
        {
            return alternate ? digits + "." : digits;
        }

        if (digits.Length <= precision)
        {
            digits = new string('0', precision - digits.Length + 1) + digits;
        }

        return string.Concat(digits.AsSpan(0, digits.Length - precision), ".", digits.AsSpan(digits.Length - precision));
    }

    /// <summary>|value| in exponent notation with <paramref name="precision"/> decimals ('e').</summary>
    public static string Exponent(double value, int precision, char letter = 'e', bool alternate = false)
    {
        var (digits, exponent) = SignificantDigits(value, precision + 1);
        var builder = new StringBuilder(precision + 8);
        builder.Append(digits[0]);
        if (precision > 0 || alternate)
        {
            builder.Append('.');
        }

        builder.Append(digits, 1, digits.Length - 1);
        AppendExponent(builder, exponent, letter);
        return builder.ToString();
    }

    /// <summary>|value| in Python's general format ('g') with <paramref name="precision"/> significant digits.</summary>
    public static string General(double value, int precision, char letter = 'e', bool alternate = false)
    {
        if (precision == 0)
        {
            precision = 1;
        }

        var exponent = value == 0 ? 0 : SignificantDigits(value, precision).Exponent;
        string text;
        if (exponent >= -4 && exponent < precision)
        {
            text = Fixed(value, precision - 1 - exponent, alternate);
        }
        else
        {
            text = Exponent(value, precision - 1, letter, alternate);
        }

        if (alternate)
        {
            return text;
        }

        var exponentAt = text.IndexOf(letter, StringComparison.Ordinal);
        var mantissa = exponentAt >= 0 ? text[..exponentAt] : text;
        var suffix = exponentAt >= 0 ? text[exponentAt..] : string.Empty;
        if (mantissa.Contains('.', StringComparison.Ordinal))
        {
            mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        }

        return mantissa + suffix;
    }

    /// <summary>Exactly <paramref name="count"/> significant digits of |value| and the decimal exponent of the first.</summary>
    private static (string Digits, int Exponent) SignificantDigits(double value, int count)
    {
        if (value == 0)
        {
            return (new string('0', count), 0);
        }

        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        while (true)
        {
            var scaled = ScaleRound(value, count - 1 - exponent);
            var digits = scaled.ToString(CultureInfo.InvariantCulture);
            if (digits.Length > count)
            {
                exponent++;
                continue;
            }

            if (digits.Length < count)
            {
                exponent--;
                continue;
            }

            return (digits, exponent);
        }
    }

    private static void AppendExponent(StringBuilder builder, int exponent, char letter)
    {
        builder.Append(letter).Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            builder.Append('0');
        }

        builder.Append(magnitude.ToString(CultureInfo.InvariantCulture));
    }
}
