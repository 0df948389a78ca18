using System.Numerics;
using System.Text;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>Python's printf-style <c>format % values</c> (also the <c>|format</c> filter).</summary>
internal static class PyPercentFormat
{
    public static string Format(string format, object? arguments, bool escapeArguments, RenderSession session)
    {
        var positional = arguments is PyTuple tuple ? tuple.Items : [arguments];
        var mapping = arguments as PyDict;

        // Python treats any subscriptable non-tuple argument as a mapping, which silences "not all arguments converted".
        var mappingLike = arguments is PyDict or PyList or PyRange or Undefined;
        var next = 0;
        var builder = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                throw PyErrors.ValueError("incomplete format");
            }

            object? value = null;
            var hasValue = false;
            if (format[i] == '(')
            {
                var close = format.IndexOf(')', i);
                if (close < 0)
                {
                    throw PyErrors.ValueError("incomplete format key");
                }

                if (mapping is null)
                {
                    throw PyErrors.TypeError("format requires a mapping");
                }

                var key = format[(i + 1)..close];
                if (!mapping.TryGetValue(key, out value))
                {
                    throw PyErrors.KeyError(PythonStringRepr.Repr(key));
                }

                hasValue = true;
                i = close + 1;
            }

            var spec = new PyFormatSpec();
            var leftAlign = false;
            for (; i < format.Length && format[i] is '-' or '+' or ' ' or '#' or '0'; i++)
            {
                switch (format[i])
                {
                    case '-':
                        leftAlign = true;
                        break;
                    case '+':
                        spec.Sign = '+';
                        break;
                    case ' ':
                        if (spec.Sign != '+')
                        {
                            spec.Sign = ' ';
                        }

                        break;
                    case '#':
                        spec.Alternate = true;
                        break;
                    default:
                        spec.ZeroPad = true;
                        break;
                }
            }

            spec.Width = ReadNumber(format, ref i, positional, ref next);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Precision = Math.Max(0, ReadNumber(format, ref i, positional, ref next));
            }

            while (i < format.Length && format[i] is 'h' or 'l' or 'L')
            {
                i++;
            }

            if (i >= format.Length)
            {
                throw PyErrors.ValueError("incomplete format");
            }

            var type = format[i];
            if (type == '%')
            {
                builder.Append('%');
                continue;
            }

            if (!hasValue)
            {
                if (next >= positional.Length)
                {
                    throw PyErrors.TypeError("not enough arguments for format string");
                }

                value = positional[next++];
            }

            if (spec.Width < 0 && spec.Width != -1)
            {
                leftAlign = true;
                spec.Width = -spec.Width;
            }

            if (leftAlign)
            {
                spec.Align = '<';
                spec.ZeroPad = false;
            }

            builder.Append(Convert(value, type, spec, escapeArguments, session, i));
            session.ChargeString(builder.Length);
        }

        if (next < positional.Length && !mappingLike)
        {
            throw PyErrors.TypeError("not all arguments converted during string formatting");
        }

        return builder.ToString();
    }

    private static int ReadNumber(string format, ref int i, object?[] positional, ref int next)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            if (next >= positional.Length)
            {
                throw PyErrors.TypeError("not enough arguments for format string");
            }

            if (!PyIntegers.TryGetLong(positional[next++], out var star))
            {
                throw PyErrors.TypeError("* wants int");
            }

            return (int)Math.Clamp(star, -1_000_000_000, 1_000_000_000);
        }

        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        if (i == start)
        {
            return -1;
        }

        if (i - start > 9)
        {
            throw new JinjaLimitException("format width or precision is too large");
        }

        return int.Parse(format.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Convert(object? value, char type, PyFormatSpec spec, bool escape, RenderSession session, int index)
    {
        switch (type)
        {
            case 's' or 'r' or 'a':
                var text = type == 's' ? PyRepr.Str(value) : PyRepr.Repr(value);
                if (type == 'a')
                {
                    text = AsciiOnly(text);
                }

                if (escape)
                {
                    text = MarkupOps.EscapedText(type == 's' ? value : text);
                }

                if (spec.Align == '\0')
                {
                    spec.Align = '>';
                }

                spec.ZeroPad = false;
                return spec.Apply(text, session);
            case 'd' or 'i' or 'u':
                return FormatInteger(ToInteger(value, type, allowFloat: true), 'd', spec, session);
            case 'x' or 'X' or 'o':
                return FormatInteger(ToInteger(value, type, allowFloat: false), type, spec, session);
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G':
                if (!PyOps.IsNumber(value))
                {
                    throw PyErrors.TypeError($"must be real number, not {PyTypeNames.Of(value)}");
                }

                spec.Type = type;
                return spec.Apply(PyArithmetic.ToDouble(value), session);
            case 'c':
                spec.Type = 'c';
                if (PyString.TryGet(value, out var single) && PyString.Length(single) == 1)
                {
                    spec.Type = '\0';
                    spec.Align = spec.Align == '\0' ? '>' : spec.Align;
                    return spec.Apply(single, session);
                }

                return spec.Apply(ToInteger(value, 'c', allowFloat: false), session);
            default:
                throw PyErrors.ValueError($"unsupported format character '{type}' (0x{(int)type:x}) at index {index}");
        }
    }

    private static object ToInteger(object? value, char type, bool allowFloat)
    {
        switch (value)
        {
            case long or BigInteger:
                return value;
            case bool b:
                return PyBox.Int(b ? 1 : 0);
            case double d when allowFloat:
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw PyErrors.ValueError("cannot convert float NaN or infinity to integer");
                }

                return PyIntegers.Normalize(new BigInteger(Math.Truncate(d)));
            case Undefined undefined:
                throw undefined.ToException();
            default:
                var what = allowFloat ? "a real number" : "an integer";
                throw PyErrors.TypeError($"%{type} format: {what} is required, not {PyTypeNames.Of(value)}");
        }
    }

    private static string FormatInteger(object value, char type, PyFormatSpec spec, RenderSession session)
    {
        spec.Type = type == 'd' ? 'd' : type;
        if (spec.Precision >= 0)
        {
            // printf's precision on integers is a minimum digit count.
            PyIntegers.TryGetBig(value, out var number);
            var digits = type switch
            {
                'x' => PyFormatSpec.ToRadix(BigInteger.Abs(number), 16, false),
                'X' => PyFormatSpec.ToRadix(BigInteger.Abs(number), 16, true),
                'o' => PyFormatSpec.ToRadix(BigInteger.Abs(number), 8, false),
                _ => BigInteger.Abs(number).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            digits = digits.PadLeft(spec.Precision, '0');
            var prefix = spec.Alternate ? type switch
            {
                'x' => "0x",
                'X' => "0X",
                'o' => "0o",
                _ => string.Empty,
            } : string.Empty;
            var sign = number.Sign < 0 ? "-" : spec.Sign is '+' or ' ' ? spec.Sign.ToString() : string.Empty;
            var text = sign + prefix + digits;
            spec.Type = '\0';
            spec.Precision = -1;
            spec.Align = spec.Align == '\0' ? '>' : spec.Align;
            spec.Sign = '-';
            return spec.ZeroPad && spec.Align == '>' ? text.PadLeft(Math.Max(spec.Width, 0), '0') : spec.Apply(text, session);
        }

        return spec.Apply(value, session);
    }

    private static string AsciiOnly(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                builder.Append((char)c);
                continue;
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                c = char.ConvertToUtf32(text[i], text[++i]);
            }

            builder.Append(c <= 0xFF ? $"\\x{c:x2}" : c <= 0xFFFF ? $"\\u{c:x4}" : $"\\U{c:x8}");
        }

        return builder.ToString();
    }
}
