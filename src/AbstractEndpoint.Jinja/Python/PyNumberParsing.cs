using System.Globalization;
using System.Numerics;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>Python's <c>int(text, base)</c> and <c>float(text)</c> string parsing (white space, signs, underscores, prefixes).</summary>
internal static class PyNumberParsing
{
    public static bool TryParseInt(string text, long radix, out object? value)
    {
        value = null;
        var s = StringMethodsTrim(text);
        if (s.Length == 0 || radix is not (0 or (>= 2 and <= 36)))
        {
            return false;
        }

        var negative = false;
        var i = 0;
        if (s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            i = 1;
        }

        var detected = radix;
        if (i + 1 < s.Length && s[i] == '0' && char.ToLowerInvariant(s[i + 1]) is 'x' or 'o' or 'b')
        {
            var prefixRadix = char.ToLowerInvariant(s[i + 1]) switch
            {
                'x' => 16,
                'o' => 8,
                _ => 2,
            };
            if (radix == 0 || radix == prefixRadix)
            {
                detected = prefixRadix;
                i += 2;
                if (i < s.Length && s[i] == '_')
                {
                    i++;
                }
            }
        }

        if (detected == 0)
        {
            detected = 10;
            if (s.Length - i > 1 && s[i] == '0' && s[i..].Replace("_", string.Empty, StringComparison.Ordinal).Trim('0').Length > 0)
            {
                // Base 0 forbids leading zeros in non-zero decimals, as in Python.
                return false;
            }
        }

        if (i >= s.Length || s[i] == '_' || s[^1] == '_')
        {
            return false;
        }

        var result = BigInteger.Zero;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '_')
            {
                if (s[i - 1] == '_')
                {
                    return false;
                }

                continue;
            }

            var digit = char.IsAsciiDigit(c) ? c - '0'
                : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10
                : CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit < 0 || digit >= detected)
            {
                return false;
            }

            result = (result * detected) + digit;
            if (result.GetBitLength() > PyIntegers.MaxBits)
            {
                throw new JinjaLimitException("integer result exceeds the limit of 4300 digits");
            }
        }

        value = PyIntegers.Normalize(negative ? -result : result);
        return true;
    }

    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        var s = StringMethodsTrim(text);
        if (s.Length == 0)
        {
            return false;
        }

        var body = s.TrimStart('+', '-');
        if (s.Length - body.Length > 1)
        {
            return false;
        }

        var negative = s[0] == '-';
        switch (body.ToLowerInvariant())
        {
            case "inf" or "infinity":
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }

        if (body.Contains("__", StringComparison.Ordinal) || body.StartsWith('_') || body.EndsWith('_'))
        {
            return false;
        }

        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '_' && !(i > 0 && char.IsAsciiDigit(body[i - 1]) && i + 1 < body.Length && char.IsAsciiDigit(body[i + 1])))
            {
                return false;
            }

            if (!(char.IsAsciiDigit(body[i]) || body[i] is '.' or 'e' or 'E' or '+' or '-' or '_'))
            {
                return false;
            }
        }

        return double.TryParse(s.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static string StringMethodsTrim(string text) => Builtins.StringMethods.Strip(text, null, left: true, right: true);
}
