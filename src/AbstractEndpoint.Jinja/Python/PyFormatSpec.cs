using System.Globalization;
using System.Numerics;
using System.Text;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's format-spec mini-language (<c>[[fill]align][sign][#][0][width][,|_][.precision][type]</c>), shared by
/// <c>str.format</c> and, through <see cref="PyPercentFormat"/>, by the <c>%</c> operator and <c>|format</c>.
/// </summary>
internal sealed class PyFormatSpec
{
    public char Fill { get; set; } = ' ';

    public char Align { get; set; }

    public char Sign { get; set; } = '-';

    public bool Alternate { get; set; }

    public bool ZeroPad { get; set; }

    public int Width { get; set; } = -1;

    public char Grouping { get; set; }

    public int Precision { get; set; } = -1;

    public char Type { get; set; }

    public static PyFormatSpec Parse(string spec)
    {
        var result = new PyFormatSpec();
        var i = 0;
        if (spec.Length >= 2 && spec[1] is '<' or '>' or '^' or '=')
        {
            result.Fill = spec[0];
            result.Align = spec[1];
            i = 2;
        }
        else if (spec.Length >= 1 && spec[0] is '<' or '>' or '^' or '=')
        {
            result.Align = spec[0];
            i = 1;
        }

        if (i < spec.Length && spec[i] is '+' or '-' or ' ')
        {
            result.Sign = spec[i++];
        }

        if (i < spec.Length && spec[i] == '#')
        {
            result.Alternate = true;
            i++;
        }

        if (i < spec.Length && spec[i] == '0')
        {
            result.ZeroPad = true;
            i++;
        }

        var start = i;
        while (i < spec.Length && char.IsAsciiDigit(spec[i]))
        {
            i++;
        }

        if (i > start)
        {
            result.Width = ParseBounded(spec[start..i]);
        }

        if (i < spec.Length && spec[i] is ',' or '_')
        {
            result.Grouping = spec[i++];
        }

        if (i < spec.Length && spec[i] == '.')
        {
            start = ++i;
            while (i < spec.Length && char.IsAsciiDigit(spec[i]))
            {
                i++;
            }

            if (i == start)
            {
                throw PyErrors.ValueError("Format specifier missing precision");
            }

            result.Precision = ParseBounded(spec[start..i]);
        }

        if (i < spec.Length)
        {
            result.Type = spec[i++];
        }

        if (i < spec.Length)
        {
            throw PyErrors.ValueError("Invalid format specifier");
        }

        return result;
    }

    private static int ParseBounded(string digits) =>
        digits.Length > 9 ? throw new JinjaLimitException("format width or precision is too large") : int.Parse(digits, CultureInfo.InvariantCulture);

    /// <summary><c>format(value, spec)</c>.</summary>
    public string Apply(object? value, RenderSession session)
    {
        if (Width > session.Options.MaxOutputLength)
        {
            throw new JinjaLimitException("format width exceeds the output limit");
        }

        switch (value)
        {
            case string or Markup when Type is '\0' or 's':
                PyString.TryGet(value, out var text);
                if (Precision >= 0 && PyString.Length(text) > Precision)
                {
                    text = PyString.Slice(text, 0, 1, Precision);
                }

                return PadWith(text, Align == '\0' ? '<' : Align, Fill);
            case long or bool or BigInteger:
                return FormatInteger(value);
            case double d:
                return FormatFloat(d);
            default:
                throw PyErrors.TypeError($"unsupported format string passed to {PyTypeNames.Of(value)}.__format__");
        }
    }

    private string FormatInteger(object? value)
    {
        if (Type is 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or '%')
        {
            return FormatFloat(PyArithmetic.ToDouble(value));
        }

        PyIntegers.TryGetBig(value, out var number);
        if (Type == 'c')
        {
            if (number < 0 || number > 0x10FFFF)
            {
                throw PyErrors.Overflow("%c arg not in range(0x110000)");
            }

            return PadWith(PyString.FromCodePoint((int)number), Align == '\0' ? '<' : Align, Fill);
        }

        var magnitude = BigInteger.Abs(number);
        string digits;
        var prefix = string.Empty;
        switch (Type)
        {
            case '\0' or 'd' or 'n' or 's' when Type != 's' || value is not bool:
                digits = magnitude.ToString(CultureInfo.InvariantCulture);
                break;
            case 'x' or 'X':
                digits = ToRadix(magnitude, 16, Type == 'X');
                prefix = Alternate ? (Type == 'X' ? "0X" : "0x") : string.Empty;
                break;
            case 'o':
                digits = ToRadix(magnitude, 8, false);
                prefix = Alternate ? "0o" : string.Empty;
                break;
            case 'b':
                digits = ToRadix(magnitude, 2, false);
                prefix = Alternate ? "0b" : string.Empty;
                break;
            default:
                throw PyErrors.ValueError($"Unknown format code '{Type}' for object of type 'int'");
        }

        digits = Group(digits, Type is 'x' or 'X' or 'o' or 'b' ? 4 : 3);
        return PadNumber(number.Sign < 0, prefix, digits);
    }

    private string FormatFloat(double value)
    {
        var negative = double.IsNegative(value) && !double.IsNaN(value);
        var magnitude = Math.Abs(value);
        string body;
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            body = double.IsNaN(value) ? "nan" : "inf";
            if (Type is 'E' or 'F' or 'G')
            {
                body = body.ToUpperInvariant();
            }
        }
        else
        {
            var precision = Precision < 0 ? 6 : Precision;
            body = Type switch
            {
                'f' or 'F' => PyDecimal.Fixed(magnitude, precision, Alternate),
                'e' or 'E' => PyDecimal.Exponent(magnitude, precision, Type, Alternate),
                'g' or 'G' => PyDecimal.General(magnitude, precision, Type == 'G' ? 'E' : 'e', Alternate),
                '%' => PyDecimal.Fixed(magnitude * 100, precision, Alternate) + "%",
                '\0' or 'n' => Precision < 0 ? PythonFloat.Repr(magnitude) : PyDecimal.General(magnitude, Precision, 'e', Alternate),
                _ => throw PyErrors.ValueError($"Unknown format code '{Type}' for object of type 'float'"),
            };
        }

        if (Grouping != '\0')
        {
            var point = body.IndexOfAny(['.', 'e', 'E', '%']);
            var integerPart = point >= 0 ? body[..point] : body;
            body = Group(integerPart, 3) + (point >= 0 ? body[point..] : string.Empty);
        }

        return PadNumber(negative, string.Empty, body);
    }

    private string Group(string digits, int size)
    {
        if (Grouping == '\0' || digits.Length <= size)
        {
            return digits;
        }

        var builder = new StringBuilder(digits.Length + (digits.Length / size));
        var first = digits.Length % size;
        if (first > 0)
        {
            builder.Append(digits, 0, first);
        }

        for (var i = first; i < digits.Length; i += size)
        {
            if (builder.Length > 0)
            {
                builder.Append(Grouping);
            }

            builder.Append(digits, i, size);
        }

        return builder.ToString();
    }

    private string PadNumber(bool negative, string prefix, string digits)
    {
        var sign = negative ? "-" : Sign switch
        {
            '+' => "+",
            ' ' => " ",
            _ => string.Empty,
        };
        var align = Align;
        var fill = Fill;
        if (ZeroPad && Align == '\0')
        {
            align = '=';
            fill = '0';
        }

        if (align == '\0')
        {
            align = '>';
        }

        if (align == '=')
        {
            var padding = Math.Max(0, Width - sign.Length - prefix.Length - digits.Length);
            return sign + prefix + new string(fill, padding) + digits;
        }

        return PadWith(sign + prefix + digits, align, fill);
    }

    private string PadWith(string text, char align, char fill)
    {
        var length = PyString.Length(text);
        if (Width <= length)
        {
            return text;
        }

        var padding = Width - length;
        return align switch
        {
            '<' => text + new string(fill, padding),
            '^' => new string(fill, padding / 2) + text + new string(fill, padding - (padding / 2)),
            _ => new string(fill, padding) + text,
        };
    }

    internal static string ToRadix(BigInteger value, int radix, bool upper)
    {
        if (value.IsZero)
        {
            return "0";
        }

        var digits = new StringBuilder();
        var alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        while (!value.IsZero)
        {
            value = BigInteger.DivRem(value, radix, out var remainder);
            digits.Insert(0, alphabet[(int)remainder]);
        }

        return digits.ToString();
    }
}
