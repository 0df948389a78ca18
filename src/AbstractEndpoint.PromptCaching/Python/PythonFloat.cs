using System.Globalization;
using System.Text;

namespace AbstractEndpoint.PromptCaching.Python;

/// <summary>
/// Formats a double the way CPython's <c>repr(float)</c> does (<c>1.0</c>, <c>1e-05</c>, <c>1.5e+300</c>, <c>-0.0</c>).
/// Both runtimes produce the shortest digit string that round-trips; only the layout differs, so we take .NET's
/// digits and lay them out with Python's rule (scientific when the decimal point sits at or before the 4th zero
/// after it, or beyond 16 digits).
/// </summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var negative = double.IsNegative(value);
        if (value == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        var (digits, decimalPoint) = ShortestDigits(Math.Abs(value));
        var text = new StringBuilder(32);
        if (negative)
        {
            text.Append('-');
        }

        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exponent = decimalPoint - 1;
            text.Append('e').Append(exponent < 0 ? '-' : '+')
                .Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decimalPoint <= 0)
        {
            text.Append("0.").Append('0', -decimalPoint).Append(digits);
        }
        else if (decimalPoint >= digits.Length)
        {
            text.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
        }
        else
        {
            text.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }

        return text.ToString();
    }

    /// <summary>
    /// The significant digits (no leading or trailing zeros) and the decimal point position such that
    /// value = 0.d1d2d3… × 10^decimalPoint, which is how CPython's formatter reasons.
    /// </summary>
    private static (string Digits, int DecimalPoint) ShortestDigits(double positive)
    {
        // "R" is the shortest round-trippable form since .NET Core 3.0, e.g. "1.5E+300", "0.0001", "1E-05".
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var exponentAt = text.IndexOf('E', StringComparison.Ordinal);
        if (exponentAt >= 0)
        {
            exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentAt];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var digits = dot < 0 ? text : string.Concat(integerPart, text.AsSpan(dot + 1));
        var decimalPoint = integerPart.Length + exponent;

        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        return (digits[leadingZeros..].TrimEnd('0'), decimalPoint - leadingZeros);
    }
}
