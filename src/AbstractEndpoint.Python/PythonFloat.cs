using System.Globalization;

namespace AbstractEndpoint.Python;

/// <summary>
/// Spells floats exactly as Python's <c>repr(float)</c> (<c>1.0</c>, <c>1e-05</c>, <c>1.5e+300</c>, <c>-0.0</c>): the
/// shortest digits that round-trip, in fixed notation when the decimal exponent is in [-4, 16) and as <c>1e-05</c> /
/// <c>1e+16</c> otherwise, always with a <c>.0</c> when integral. Both runtimes find the same shortest digits; only
/// the layout differs, so .NET's digits are laid out with Python's rule.
/// </summary>
public static class PythonFloat
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

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (negative, digits, pointPosition) = ShortestDigits(value);
        var text = new System.Text.StringBuilder(digits.Length + 8);
        if (negative)
        {
            text.Append('-');
        }

        // pointPosition is where the decimal point sits relative to the digit string (Python's "decpt").
        if (pointPosition is > -4 and <= 16)
        {
            if (pointPosition <= 0)
            {
                text.Append("0.").Append('0', -pointPosition).Append(digits);
            }
            else if (pointPosition < digits.Length)
            {
                text.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
            }
            else
            {
                text.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
            }
        }
        else
        {
            text.Append(digits[0]);
            if (digits.Length > 1)
            {
                text.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exponent = pointPosition - 1;
            text.Append(exponent < 0 ? "e-" : "e+");
            var magnitude = Math.Abs(exponent);
            if (magnitude < 10)
            {
                text.Append('0');
            }

            text.Append(magnitude.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// How <c>json.dumps</c> spells a float: its repr, except the non-finite values, which it writes as the
    /// JavaScript literals <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> (with <c>allow_nan=True</c>).
    /// </summary>
    public static string JsonText(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : Repr(value);

    /// <summary>Shortest round-trip digits (no leading or trailing zeros) and the decimal point position.</summary>
    private static (bool Negative, string Digits, int PointPosition) ShortestDigits(double value)
    {
        // .NET's "R" is the shortest round-trippable representation; only its layout differs from Python's.
        var raw = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = raw[0] == '-';
        var start = negative ? 1 : 0;
        var exponentAt = raw.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt >= 0 ? raw[start..exponentAt] : raw[start..];
        var exponent = exponentAt >= 0 ? int.Parse(raw.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fractionPart = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        var digits = integerPart + fractionPart;
        var pointPosition = integerPart.Length + exponent;
        var leading = 0;
        while (leading < digits.Length - 1 && digits[leading] == '0')
        {
            leading++;
        }

        digits = digits[leading..];
        pointPosition -= leading;
        digits = digits.TrimEnd('0');
        return (negative, digits.Length == 0 ? "0" : digits, pointPosition);
    }
}
