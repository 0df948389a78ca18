using System.Globalization;
using System.Text;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>Filters over text: case, trim, replace, indent, truncate, center, wordcount, title, escaping, format.</summary>
internal static class TextFilters
{
    /// <summary>markupsafe's <c>soft_str</c>: str and Markup pass through, anything else becomes <c>str(value)</c>.</summary>
    public static object SoftStr(object? value) => value is string or Markup ? value : PyRepr.Str(value);

    private static object Keep(object? original, string text) => original is Markup ? new Markup(text) : text;

    public static object? Upper(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("upper", [], []);
        var soft = SoftStr(value);
        return StringMethods.Invoke(session, PyRepr.Str(soft), soft is Markup, "upper", CallArguments.Empty);
    }

    public static object? Lower(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("lower", [], []);
        var soft = SoftStr(value);
        return StringMethods.Invoke(session, PyRepr.Str(soft), soft is Markup, "lower", CallArguments.Empty);
    }

    public static object? Capitalize(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("capitalize", [], []);
        var soft = SoftStr(value);
        return Keep(soft, StringMethods.Capitalize(PyRepr.Str(soft)));
    }

    /// <summary>Jinja2's own title: words start after <c>-</c>, white space or an opening bracket.</summary>
    public static object? Title(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("title", [], []);
        var text = PyRepr.Str(SoftStr(value));
        var builder = new StringBuilder(text.Length);
        var wordStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var isSeparator = c is '-' or '(' or '{' or '[' or '<' || PythonWhitespace.IsSpace(c);
            if (isSeparator)
            {
                builder.Append(c);
                wordStart = true;
                i++;
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1;
            var piece = text.Substring(i, length);
            builder.Append(wordStart ? PyCase.Upper(piece) : PyCase.Lower(piece));
            wordStart = false;
            i += length;
        }

        return builder.ToString();
    }

    public static object? Trim(RenderSession session, object? value, CallArguments args)
    {
        var chars = args.Bind("trim", ["chars"], [null])[0];
        var soft = SoftStr(value);
        string? charText = null;
        if (chars is not null && !PyString.TryGet(chars, out charText))
        {
            throw PyErrors.TypeError("strip arg must be None or str");
        }

        return Keep(soft, StringMethods.Strip(PyRepr.Str(soft), charText, left: true, right: true));
    }

    public static object? Replace(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("replace", ["old", "new", "count"], [null]);
        var count = values[2] is null ? -1 : PyIntegers.TryGetLong(values[2], out var n) ? n
            : throw PyErrors.TypeError($"'{PyTypeNames.Of(values[2])}' object cannot be interpreted as an integer");
        return StringMethods.ReplaceText(session, PyRepr.Str(value), PyRepr.Str(values[0]), PyRepr.Str(values[1]), count);
    }

    public static object? Center(RenderSession session, object? value, CallArguments args)
    {
        var width = args.Bind("center", ["width"], [PyBox.Int(80)])[0];
        var soft = SoftStr(value);
        return StringMethods.Invoke(session, PyRepr.Str(soft), soft is Markup, "center", CallArguments.Of(width));
    }

    public static object? Indent(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("indent", ["width", "first", "blank"], [PyBox.Int(4), PyBox.False, PyBox.False]);
        string indentation;
        if (PyString.TryGet(values[0], out var given))
        {
            indentation = given;
        }
        else if (PyIntegers.TryGetLong(values[0], out var width))
        {
            session.ChargeString(Math.Max(0, width));
            indentation = new string(' ', (int)Math.Max(0, width));
        }
        else
        {
            throw PyErrors.TypeError($"can't multiply sequence by non-int of type '{PyTypeNames.Of(values[0])}'");
        }

        // Jinja2 appends a newline first (s += "\n"), which only strings survive, then splits lines.
        if (value is Undefined undefined)
        {
            throw undefined.ToException();
        }

        if (!PyString.TryGet(value, out var original))
        {
            throw value switch
            {
                PyList => PyErrors.TypeError("can only concatenate list (not \"str\") to list"),
                PyTuple => PyErrors.TypeError("can only concatenate tuple (not \"str\") to tuple"),
                _ => PyErrors.TypeError($"unsupported operand type(s) for +=: '{PyTypeNames.Of(value)}' and 'str'"),
            };
        }

        var text = original + "\n";
        var lines = StringMethods.Lines(text, keepEnds: false);
        var builder = new StringBuilder(text.Length + (lines.Count * indentation.Length));
        if (PyOps.Truthy(values[2]))
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append('\n').Append(indentation);
                }

                builder.Append(lines[i]);
                session.ChargeString(builder.Length);
            }
        }
        else
        {
            builder.Append(lines[0]);
            for (var i = 1; i < lines.Count; i++)
            {
                builder.Append('\n');
                if (lines[i].Length > 0)
                {
                    builder.Append(indentation);
                }

                builder.Append(lines[i]);
                session.ChargeString(builder.Length);
            }
        }

        if (PyOps.Truthy(values[1]))
        {
            builder.Insert(0, indentation);
        }

        return Keep(value, builder.ToString());
    }

    public static object? Truncate(RenderSession session, object? value, CallArguments args)
    {
        var values = args.Bind("truncate", ["length", "killwords", "end", "leeway"], [PyBox.Int(255), PyBox.False, "...", null]);
        if (!PyString.TryGet(value, out var text))
        {
            // Jinja2 measures len(s) and slices s as given: only short sized values pass through unchanged.
            var size = PyOps.Length(value);
            var limit = PyIntegers.TryGetLong(values[0], out var max) ? max : 255;
            var slack = values[3] is null ? 5 : PyIntegers.TryGetLong(values[3], out var given) ? given : 5;
            return size <= limit + slack ? value : throw PyErrors.TypeError($"'{PyTypeNames.Of(value)}' object cannot be truncated");
        }

        if (!PyIntegers.TryGetLong(values[0], out var length))
        {
            throw PyErrors.TypeError("truncate length must be an integer");
        }

        var end = PyRepr.Str(values[2]);
        var leeway = values[3] is null ? 5 : PyIntegers.TryGetLong(values[3], out var l) ? l : 5;
        var endLength = PyString.Length(end);
        if (length < endLength)
        {
            throw new JinjaRenderException($"expected length >= {endLength}, got {length}", "AssertionError");
        }

        if (leeway < 0)
        {
            throw new JinjaRenderException($"expected leeway >= 0, got {leeway}", "AssertionError");
        }

        var textLength = PyString.Length(text);
        if (textLength <= length + leeway)
        {
            return value is string ? value : text;
        }

        var kept = PyString.Slice(text, 0, 1, Math.Min(length - endLength, textLength));
        if (PyOps.Truthy(values[1]))
        {
            return kept + end;
        }

        var space = kept.LastIndexOf(' ');
        return (space >= 0 ? kept[..space] : kept) + end;
    }

    public static object? WordCount(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("wordcount", [], []);
        var text = PyRepr.Str(SoftStr(value));
        var count = 0;
        var inWord = false;
        foreach (var rune in text.EnumerateRunes())
        {
            // Python's \w: letters, numbers and underscore (str.isalnum() or "_"), by code point.
            var isWord = rune.Value == '_' || System.Text.Rune.IsLetterOrDigit(rune) || System.Text.Rune.GetUnicodeCategory(rune)
                is UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
            if (isWord && !inWord)
            {
                count++;
            }

            inWord = isWord;
        }

        return PyBox.Int(count);
    }

    public static object? Escape(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("escape", [], []);
        return MarkupOps.Escape(value);
    }

    public static object? ForceEscape(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("forceescape", [], []);
        return new Markup(MarkupOps.EscapeText(PyRepr.Str(value)));
    }

    public static object? Safe(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("safe", [], []);
        return value as Markup ?? new Markup(PyRepr.Str(value));
    }

    public static object? String(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("string", [], []);
        return SoftStr(value);
    }

    public static object? StripTags(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("striptags", [], []);
        return Filters.StripTags(PyRepr.Str(value));
    }

    public static object? Format(RenderSession session, object? value, CallArguments args)
    {
        if (args.Count > 0 && args.HasKeywords)
        {
            throw PyErrors.FilterArgument("can't handle positional and keyword arguments at the same time");
        }

        object? operands;
        if (args.HasKeywords)
        {
            var mapping = new PyDict();
            for (var i = 0; i < args.KeywordNames.Length; i++)
            {
                mapping.Set(args.KeywordNames[i], args.KeywordValues[i]);
            }

            operands = mapping;
        }
        else
        {
            operands = new PyTuple(args.Positional);
        }

        var soft = SoftStr(value);
        return PyArithmetic.Modulo(soft, operands, session);
    }

    public static object? UrlEncode(RenderSession session, object? value, CallArguments args)
    {
        args.Bind("urlencode", [], []);
        if (value is PyDict dict)
        {
            var parts = new List<string>();
            for (var i = 0; i < dict.Count; i++)
            {
                parts.Add(Quote(PyRepr.Str(dict.KeyAt(i)), forQuery: true) + "=" + Quote(PyRepr.Str(dict.ValueAt(i)), forQuery: true));
            }

            return string.Join('&', parts);
        }

        return Quote(PyRepr.Str(value), forQuery: false);
    }

    private static string Quote(string text, bool forQuery)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' || (!forQuery && c == '/'))
            {
                builder.Append(c);
            }
            else if (forQuery && c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static object? XmlAttr(RenderSession session, object? value, CallArguments args)
    {
        var autospace = args.Bind("xmlattr", ["autospace"], [PyBox.True])[0];
        if (value is not PyDict dict)
        {
            throw PyErrors.TypeError($"'{PyTypeNames.Of(value)}' object has no attribute 'items'");
        }

        var items = new List<string>();
        for (var i = 0; i < dict.Count; i++)
        {
            var item = dict.ValueAt(i);
            if (item is null or Undefined)
            {
                continue;
            }

            var key = PyRepr.Str(dict.KeyAt(i));
            if (key.AsSpan().IndexOfAny(" \t\n\r\f\v/>=") >= 0)
            {
                throw PyErrors.ValueError($"Invalid character in attribute name: {PyRepr.Repr(dict.KeyAt(i))}");
            }

            items.Add($"{MarkupOps.EscapeText(key)}=\"{MarkupOps.EscapedText(item)}\"");
        }

        var result = string.Join(' ', items);
        return PyOps.Truthy(autospace) && result.Length > 0 ? " " + result : result;
    }

    public static object? FileSizeFormat(RenderSession session, object? value, CallArguments args)
    {
        var binary = PyOps.Truthy(args.Bind("filesizeformat", ["binary"], [PyBox.False])[0]);
        var bytes = PyString.TryGet(value, out var text)
            ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)
            : PyArithmetic.ToDouble(value);
        var unitBase = binary ? 1024.0 : 1000.0;
        string[] prefixes = binary
            ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
            : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        if (bytes == 1)
        {
            return "1 Byte";
        }

        if (bytes < unitBase)
        {
            return $"{PyRepr.Str(PyIntegers.Normalize(new System.Numerics.BigInteger(Math.Truncate(bytes))))} Bytes";
        }

        var unit = 0.0;
        for (var i = 0; i < prefixes.Length; i++)
        {
            unit = Math.Pow(unitBase, i + 2);
            if (bytes < unit || i == prefixes.Length - 1)
            {
                return PyDecimal.Fixed(unitBase * bytes / unit, 1) + " " + prefixes[i];
            }
        }

        return string.Empty;
    }
}
