using System.Globalization;
using System.Text;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>str.format</c>: <c>{}</c>, <c>{0}</c>, <c>{name}</c>, <c>{0.attr}</c>, <c>{0[key]}</c>, <c>!r</c>/<c>!s</c>/<c>!a</c>
/// conversions and format specs (one level of nested <c>{}</c> in specs). Field lookups go through the sandbox.
/// </summary>
internal static class PyStrFormat
{
    public static string Format(string format, CallArguments args, RenderSession session)
    {
        var builder = new StringBuilder(format.Length + 16);
        var autoIndex = 0;
        var manual = false;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                {
                    builder.Append('}');
                    i++;
                    continue;
                }

                throw PyErrors.ValueError("Single '}' encountered in format string");
            }

            if (c != '{')
            {
                builder.Append(c);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '{')
            {
                builder.Append('{');
                i++;
                continue;
            }

            var end = FindFieldEnd(format, i + 1);
            var field = format[(i + 1)..end];
            i = end;
            builder.Append(RenderField(field, args, session, ref autoIndex, ref manual));
            session.ChargeString(builder.Length);
        }

        return builder.ToString();
    }

    private static int FindFieldEnd(string format, int start)
    {
        var depth = 1;
        for (var i = start; i < format.Length; i++)
        {
            if (format[i] == '{')
            {
                depth++;
            }
            else if (format[i] == '}' && --depth == 0)
            {
                return i;
            }
        }

        throw PyErrors.ValueError("expected '}' before end of string");
    }

    private static string RenderField(string field, CallArguments args, RenderSession session, ref int autoIndex, ref bool manual)
    {
        var specAt = IndexOutsideBrackets(field, ':');
        var spec = specAt >= 0 ? field[(specAt + 1)..] : string.Empty;
        var head = specAt >= 0 ? field[..specAt] : field;
        var conversionAt = IndexOutsideBrackets(head, '!');
        var conversion = conversionAt >= 0 ? head[(conversionAt + 1)..] : string.Empty;
        var name = conversionAt >= 0 ? head[..conversionAt] : head;
        var value = Resolve(name, args, ref autoIndex, ref manual);
        value = conversion switch
        {
            "" => value,
            "r" => PyRepr.Repr(value),
            "s" => PyRepr.Str(value),
            "a" => PyRepr.Repr(value),
            _ => throw PyErrors.ValueError($"Unknown conversion specifier {conversion}"),
        };
        if (spec.Contains('{', StringComparison.Ordinal))
        {
            spec = Format(spec, args, session);
        }

        if (spec.Length == 0)
        {
            return PyRepr.Str(value);
        }

        return PyFormatSpec.Parse(spec).Apply(value, session);
    }

    private static int IndexOutsideBrackets(string text, char target)
    {
        var inBracket = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '[')
            {
                inBracket = true;
            }
            else if (text[i] == ']')
            {
                inBracket = false;
            }
            else if (text[i] == target && !inBracket)
            {
                return i;
            }
        }

        return -1;
    }

    private static object? Resolve(string name, CallArguments args, ref int autoIndex, ref bool manual)
    {
        var firstEnd = 0;
        while (firstEnd < name.Length && name[firstEnd] is not ('.' or '['))
        {
            firstEnd++;
        }

        var first = name[..firstEnd];
        object? value;
        if (first.Length == 0)
        {
            if (manual)
            {
                throw PyErrors.ValueError("cannot switch from manual field specification to automatic field numbering");
            }

            value = Positional(args, autoIndex++);
        }
        else if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (autoIndex > 0)
            {
                throw PyErrors.ValueError("cannot switch from automatic field numbering to manual field specification");
            }

            manual = true;
            value = Positional(args, index);
        }
        else if (!args.TryGetKeyword(first, out value))
        {
            throw PyErrors.KeyError(PythonStringRepr.Repr(first));
        }

        var i = firstEnd;
        while (i < name.Length)
        {
            if (name[i] == '.')
            {
                var start = ++i;
                while (i < name.Length && name[i] is not ('.' or '['))
                {
                    i++;
                }

                value = PyAccess.GetAttribute(value, name[start..i]);
            }
            else
            {
                var close = name.IndexOf(']', i);
                if (close < 0)
                {
                    throw PyErrors.ValueError("Missing ']' in format string");
                }

                var key = name[(i + 1)..close];
                value = PyAccess.GetItem(value, int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? PyBox.Int(n) : key);
                i = close + 1;
            }
        }

        return value;
    }

    private static object? Positional(CallArguments args, int index) =>
        index < args.Count ? args.Positional[index] : throw PyErrors.IndexError($"Replacement index {index} out of range for positional args tuple");
}
