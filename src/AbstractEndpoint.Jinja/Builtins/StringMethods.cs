using System.Globalization;
using System.Text;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Builtins;

/// <summary>
/// Python's <c>str</c> methods, by code point. On Markup, methods that build text escape their string arguments and
/// return Markup, as markupsafe does.
/// </summary>
internal static class StringMethods
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "capitalize", "casefold", "center", "count", "endswith", "expandtabs", "find", "format", "index", "isalnum",
        "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace",
        "istitle", "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace",
        "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
        "swapcase", "title", "upper", "zfill",
    };

    private static readonly HashSet<string> MarkupResults = new(StringComparer.Ordinal)
    {
        "capitalize", "casefold", "center", "expandtabs", "ljust", "lower", "lstrip", "removeprefix", "removesuffix",
        "replace", "rjust", "rstrip", "strip", "swapcase", "title", "upper", "zfill", "format", "join",
    };

    public static bool IsMethod(string name) => Names.Contains(name);

    public static object? Invoke(RenderSession session, string text, bool isMarkup, string name, CallArguments args)
    {
        if (isMarkup)
        {
            switch (name)
            {
                case "escape":
                    return new Markup(text);
                case "unescape":
                    return System.Net.WebUtility.HtmlDecode(text);
                case "striptags":
                    return Filters.StripTags(text);
            }

            args = EscapeStringArguments(session, name, args);
        }

        var result = InvokePlain(session, text, isMarkup, name, args);
        if (!isMarkup)
        {
            return result;
        }

        return result switch
        {
            string s when MarkupResults.Contains(name) => new Markup(s),
            PyList list when name is "split" or "rsplit" or "splitlines" => new PyList(list.Items.ConvertAll(item => (object?)new Markup((string)item!))),
            PyTuple tuple when name is "partition" or "rpartition" => new PyTuple(Array.ConvertAll(tuple.Items, item => (object?)new Markup((string)item!))),
            _ => result,
        };
    }

    private static CallArguments EscapeStringArguments(RenderSession session, string name, CallArguments args)
    {
        if (name is not ("replace" or "partition" or "rpartition" or "split" or "rsplit" or "format" or "join"))
        {
            return args;
        }

        if (name == "join" && args.Count == 1)
        {
            var items = new List<object?>();
            foreach (var item in PyIteration.Iterate(args.Positional[0], session))
            {
                items.Add(PyString.TryGet(item, out _) ? MarkupOps.EscapedText(item) : item);
            }

            return CallArguments.Of(new PyList(items));
        }

        var positional = Array.ConvertAll(args.Positional, a => PyString.TryGet(a, out _) || name == "format" ? (object?)EscapeForMarkup(a, name) : a);
        var keywords = name == "format" ? Array.ConvertAll(args.KeywordValues, a => (object?)EscapeForMarkup(a, name)) : args.KeywordValues;
        return new CallArguments(positional, args.KeywordNames, keywords);
    }

    private static object? EscapeForMarkup(object? value, string name) =>
        name == "format" && !PyString.TryGet(value, out _) ? value : MarkupOps.EscapedText(value);

    private static object? InvokePlain(RenderSession session, string text, bool isMarkup, string name, CallArguments args)
    {
        if (args.HasKeywords && name is not ("split" or "rsplit" or "splitlines" or "expandtabs" or "format"))
        {
            throw PyErrors.TypeError($"str.{name}() takes no keyword arguments");
        }

        switch (name)
        {
            case "upper":
                NoArgs(name, args);
                return Charged(session, PyCase.Upper(text));
            case "lower":
            case "casefold":
                NoArgs(name, args);
                return Charged(session, PyCase.Lower(text));
            case "capitalize":
                NoArgs(name, args);
                return Capitalize(text);
            case "title":
                NoArgs(name, args);
                return Title(text);
            case "swapcase":
                NoArgs(name, args);
                return SwapCase(text);
            case "strip":
                return Strip(text, OptionalString(name, args, 0), left: true, right: true);
            case "lstrip":
                return Strip(text, OptionalString(name, args, 0), left: true, right: false);
            case "rstrip":
                return Strip(text, OptionalString(name, args, 0), left: false, right: true);
            case "startswith":
            case "endswith":
                return PyBox.Bool(StartsOrEndsWith(text, name, args));
            case "find":
            case "rfind":
            case "index":
            case "rindex":
                return PyBox.Int(Find(text, name, args));
            case "count":
                return PyBox.Int(Count(text, args));
            case "replace":
                return Replace(session, text, args);
            case "split":
            case "rsplit":
                return Split(text, name, args);
            case "splitlines":
                return SplitLines(text, args);
            case "partition":
            case "rpartition":
                return Partition(text, name, args);
            case "join":
                return Join(session, text, args);
            case "center":
            case "ljust":
            case "rjust":
                return Justify(session, text, name, args);
            case "zfill":
                return ZeroFill(session, text, args);
            case "removeprefix":
                var prefix = RequiredString(name, args, 0);
                return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
            case "removesuffix":
                var suffix = RequiredString(name, args, 0);
                return suffix.Length > 0 && text.EndsWith(suffix, StringComparison.Ordinal) ? text[..^suffix.Length] : text;
            case "expandtabs":
                return ExpandTabs(session, text, args);
            case "format":
                return PyStrFormat.Format(text, args, session);
            default:
                NoArgs(name, args);
                return PyBox.Bool(Classify(text, name));
        }
    }

    private static string Charged(RenderSession session, string result)
    {
        session.ChargeString(result.Length);
        return result;
    }

    private static void NoArgs(string name, CallArguments args)
    {
        if (args.Count > 0)
        {
            throw PyErrors.TypeError($"str.{name}() takes no arguments ({args.Count} given)");
        }
    }

    private static string? OptionalString(string name, CallArguments args, int index)
    {
        if (args.Count > index + 1)
        {
            throw PyErrors.TypeError($"{name} expected at most {index + 1} argument, got {args.Count}");
        }

        if (args.Count <= index || args.Positional[index] is null)
        {
            return null;
        }

        return PyString.TryGet(args.Positional[index], out var s)
            ? s
            : throw PyErrors.TypeError($"{name} arg must be None or str");
    }

    private static string RequiredString(string name, CallArguments args, int index)
    {
        if (args.Count <= index)
        {
            throw PyErrors.TypeError($"{name}() takes exactly one argument (0 given)");
        }

        return PyString.TryGet(args.Positional[index], out var s)
            ? s
            : throw PyErrors.TypeError($"{name}() argument {index + 1} must be str, not {PyTypeNames.Of(args.Positional[index])}");
    }

    private static long OptionalInt(CallArguments args, int index, long fallback)
    {
        if (args.Count <= index || args.Positional[index] is null)
        {
            return fallback;
        }

        return PyIntegers.TryGetLong(args.Positional[index], out var value)
            ? value
            : throw PyErrors.TypeError("slice indices must be integers or None or have an __index__ method");
    }

    public static string Capitalize(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var firstLength = char.IsHighSurrogate(text[0]) && text.Length > 1 ? 2 : 1;
        return PyCase.TitleOf(text[..firstLength]) + PyCase.Lower(text[firstLength..]);
    }

    /// <summary>Python's <c>str.title()</c>: a letter is title-cased when the previous character is not cased.</summary>
    public static string Title(string text)
    {
        var builder = new StringBuilder(text.Length);
        var previousCased = false;
        foreach (var item in PyString.Characters(text))
        {
            var c = (string)item!;
            builder.Append(previousCased ? PyCase.Lower(c) : PyCase.TitleOf(c));
            var category = CharUnicodeInfo.GetUnicodeCategory(c, 0);
            previousCased = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;
        }

        return builder.ToString();
    }

    private static string SwapCase(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var item in PyString.Characters(text))
        {
            var c = (string)item!;
            var category = CharUnicodeInfo.GetUnicodeCategory(c, 0);
            builder.Append(category == UnicodeCategory.UppercaseLetter ? PyCase.Lower(c) : category == UnicodeCategory.LowercaseLetter ? PyCase.Upper(c) : c);
        }

        return builder.ToString();
    }

    public static string Strip(string text, string? chars, bool left, bool right)
    {
        var start = 0;
        var end = text.Length;
        if (chars is null)
        {
            while (left && start < end && PythonWhitespace.IsSpace(text[start]))
            {
                start++;
            }

            while (right && end > start && PythonWhitespace.IsSpace(text[end - 1]))
            {
                end--;
            }
        }
        else
        {
            while (left && start < end && chars.Contains(text[start], StringComparison.Ordinal))
            {
                start++;
            }

            while (right && end > start && chars.Contains(text[end - 1], StringComparison.Ordinal))
            {
                end--;
            }
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }

    /// <summary>Python's ADJUST_INDICES for start/end arguments, returned as UTF-16 offsets.</summary>
    private static (int Start, int End) Window(string text, CallArguments args, int startIndex)
    {
        var length = PyString.Length(text);
        var start = OptionalInt(args, startIndex, 0);
        var end = OptionalInt(args, startIndex + 1, length);
        if (end > length)
        {
            end = length;
        }
        else if (end < 0)
        {
            end = Math.Max(0, end + length);
        }

        if (start < 0)
        {
            start = Math.Max(0, start + length);
        }

        if (start > length)
        {
            return (-1, -1);
        }

        return (ToUnit(text, start), ToUnit(text, Math.Max(start, end)));
    }

    private static int ToUnit(string text, long codePoint)
    {
        if (!PyString.HasSurrogates(text))
        {
            return (int)codePoint;
        }

        var unit = 0;
        for (long cp = 0; cp < codePoint && unit < text.Length; cp++)
        {
            unit += char.IsHighSurrogate(text[unit]) && unit + 1 < text.Length && char.IsLowSurrogate(text[unit + 1]) ? 2 : 1;
        }

        return unit;
    }

    private static int ToCodePoint(string text, int unit) => PyString.HasSurrogates(text) ? PyString.Length(text[..unit]) : unit;

    private static bool StartsOrEndsWith(string text, string name, CallArguments args)
    {
        if (args.Count is < 1 or > 3)
        {
            throw PyErrors.TypeError($"{name}() takes at least 1 argument ({args.Count} given)");
        }

        var (start, end) = Window(text, args, 1);
        if (start < 0)
        {
            return false;
        }

        var window = text[start..end];
        var candidates = args.Positional[0] is PyTuple tuple ? tuple.Items : [args.Positional[0]];
        foreach (var candidate in candidates)
        {
            if (!PyString.TryGet(candidate, out var affix))
            {
                throw PyErrors.TypeError($"{name} first arg must be str or a tuple of str, not {PyTypeNames.Of(candidate)}");
            }

            if (name == "startswith" ? window.StartsWith(affix, StringComparison.Ordinal) : window.EndsWith(affix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static long Find(string text, string name, CallArguments args)
    {
        var needle = RequiredString(name, args, 0);
        var (start, end) = Window(text, args, 1);
        var found = -1;
        if (start >= 0 && end - start >= needle.Length)
        {
            found = name is "find" or "index"
                ? text.IndexOf(needle, start, end - start, StringComparison.Ordinal)
                : (needle.Length == 0 ? end : text.LastIndexOf(needle, end - 1, end - start, StringComparison.Ordinal));
        }

        if (found < 0)
        {
            return name is "index" or "rindex" ? throw PyErrors.ValueError("substring not found") : -1;
        }

        return ToCodePoint(text, found);
    }

    private static long Count(string text, CallArguments args)
    {
        var needle = RequiredString("count", args, 0);
        var (start, end) = Window(text, args, 1);
        if (start < 0)
        {
            return 0;
        }

        if (needle.Length == 0)
        {
            return PyString.Length(text[start..end]) + 1;
        }

        var count = 0;
        var at = start;
        while (at <= end - needle.Length)
        {
            var found = text.IndexOf(needle, at, end - at, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            count++;
            at = found + needle.Length;
        }

        return count;
    }

    private static string Replace(RenderSession session, string text, CallArguments args)
    {
        if (args.Count is < 2 or > 3)
        {
            throw PyErrors.TypeError($"replace expected at least 2 arguments, got {args.Count}");
        }

        var old = RequiredString("replace", args, 0);
        var replacement = RequiredString("replace", args, 1);
        var limit = OptionalInt(args, 2, -1);
        return ReplaceText(session, text, old, replacement, limit);
    }

    public static string ReplaceText(RenderSession session, string text, string old, string replacement, long limit)
    {
        if (limit < 0)
        {
            limit = long.MaxValue;
        }

        var builder = new StringBuilder(text.Length);
        if (old.Length == 0)
        {
            // Python inserts the replacement before every code point and at the end.
            var done = 0L;
            foreach (var ch in PyString.Characters(text))
            {
                if (done < limit)
                {
                    builder.Append(replacement);
                    done++;
                }

                builder.Append((string)ch!);
                session.ChargeString(builder.Length);
            }

            if (done < limit)
            {
                builder.Append(replacement);
            }

            return builder.ToString();
        }

        var position = 0;
        var replaced = 0L;
        while (replaced < limit)
        {
            var found = text.IndexOf(old, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            builder.Append(text, position, found - position).Append(replacement);
            session.ChargeString(builder.Length);
            position = found + old.Length;
            replaced++;
        }

        builder.Append(text, position, text.Length - position);
        session.ChargeString(builder.Length);
        return builder.ToString();
    }

    private static PyList Split(string text, string name, CallArguments args)
    {
        var values = args.Bind(name, ["sep", "maxsplit"], [null, PyBox.Int(-1)]);
        string? separator = null;
        if (values[0] is not null && !PyString.TryGet(values[0], out separator))
        {
            throw PyErrors.TypeError($"must be str or None, not {PyTypeNames.Of(values[0])}");
        }

        if (!PyIntegers.TryGetLong(values[1], out var maxSplit))
        {
            throw PyErrors.TypeError($"'{PyTypeNames.Of(values[1])}' object cannot be interpreted as an integer");
        }

        if (maxSplit < 0)
        {
            maxSplit = long.MaxValue;
        }

        if (separator is not null && separator.Length == 0)
        {
            throw PyErrors.ValueError("empty separator");
        }

        var parts = name == "split" ? SplitForward(text, separator, maxSplit) : SplitReverse(text, separator, maxSplit);
        return new PyList(parts);
    }

    private static List<object?> SplitForward(string text, string? separator, long maxSplit)
    {
        var parts = new List<object?>();
        if (separator is not null)
        {
            var position = 0;
            while (parts.Count < maxSplit)
            {
                var found = text.IndexOf(separator, position, StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }

                parts.Add(text[position..found]);
                position = found + separator.Length;
            }

            parts.Add(text[position..]);
            return parts;
        }

        var i = 0;
        while (true)
        {
            while (i < text.Length && PythonWhitespace.IsSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return parts;
            }

            if (parts.Count >= maxSplit)
            {
                var end = text.Length;
                while (end > i && PythonWhitespace.IsSpace(text[end - 1]))
                {
                    end--;
                }

                parts.Add(text[i..end]);
                return parts;
            }

            var start = i;
            while (i < text.Length && !PythonWhitespace.IsSpace(text[i]))
            {
                i++;
            }

            parts.Add(text[start..i]);
        }
    }

    private static List<object?> SplitReverse(string text, string? separator, long maxSplit)
    {
        var parts = new List<object?>();
        if (separator is not null)
        {
            var end = text.Length;
            while (parts.Count < maxSplit)
            {
                var found = end - separator.Length < 0 ? -1 : text.LastIndexOf(separator, end - 1, end, StringComparison.Ordinal);
                if (found < 0 || found + separator.Length > end)
                {
                    break;
                }

                parts.Add(text[(found + separator.Length)..end]);
                end = found;
            }

            parts.Add(text[..end]);
            parts.Reverse();
            return parts;
        }

        var i = text.Length;
        while (true)
        {
            while (i > 0 && PythonWhitespace.IsSpace(text[i - 1]))
            {
                i--;
            }

            if (i <= 0)
            {
                parts.Reverse();
                return parts;
            }

            if (parts.Count >= maxSplit)
            {
                var start = 0;
                while (start < i && PythonWhitespace.IsSpace(text[start]))
                {
                    start++;
                }

                parts.Add(text[start..i]);
                parts.Reverse();
                return parts;
            }

            var end = i;
            while (i > 0 && !PythonWhitespace.IsSpace(text[i - 1]))
            {
                i--;
            }

            parts.Add(text[i..end]);
        }
    }

    public static List<string> Lines(string text, bool keepEnds)
    {
        var lines = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                var breakLength = c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                lines.Add(keepEnds ? text[start..(i + breakLength)] : text[start..i]);
                i += breakLength;
                start = i;
            }
            else
            {
                i++;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private static PyList SplitLines(string text, CallArguments args)
    {
        var values = args.Bind("splitlines", ["keepends"], [PyBox.False]);
        return new PyList(Lines(text, PyOps.Truthy(values[0])).ConvertAll(line => (object?)line));
    }

    private static PyTuple Partition(string text, string name, CallArguments args)
    {
        var separator = RequiredString(name, args, 0);
        if (separator.Length == 0)
        {
            throw PyErrors.ValueError("empty separator");
        }

        var found = name == "partition" ? text.IndexOf(separator, StringComparison.Ordinal) : text.LastIndexOf(separator, StringComparison.Ordinal);
        if (found < 0)
        {
            return name == "partition" ? new PyTuple([text, string.Empty, string.Empty]) : new PyTuple([string.Empty, string.Empty, text]);
        }

        return new PyTuple([text[..found], separator, text[(found + separator.Length)..]]);
    }

    private static string Join(RenderSession session, string separator, CallArguments args)
    {
        if (args.Count != 1)
        {
            throw PyErrors.TypeError($"str.join() takes exactly one argument ({args.Count} given)");
        }

        var builder = new StringBuilder();
        var index = 0;
        foreach (var item in PyIteration.Iterate(args.Positional[0], session))
        {
            if (!PyString.TryGet(item, out var piece))
            {
                throw PyErrors.TypeError($"sequence item {index}: expected str instance, {PyTypeNames.Of(item)} found");
            }

            if (index++ > 0)
            {
                builder.Append(separator);
            }

            builder.Append(piece);
            session.ChargeString(builder.Length);
        }

        return builder.ToString();
    }

    private static string Justify(RenderSession session, string text, string name, CallArguments args)
    {
        if (args.Count is < 1 or > 2 || !PyIntegers.TryGetLong(args.Positional[0], out var width))
        {
            throw PyErrors.TypeError($"{name}() expects an integer width and an optional fill character");
        }

        var fill = " ";
        if (args.Count == 2 && (!PyString.TryGet(args.Positional[1], out fill) || PyString.Length(fill) != 1))
        {
            throw PyErrors.TypeError("The fill character must be exactly one character long");
        }

        var length = PyString.Length(text);
        if (width <= length)
        {
            return text;
        }

        session.ChargeString(width);
        var margin = (int)(width - length);
        var left = name switch
        {
            "ljust" => 0,
            "rjust" => margin,
            _ => (margin / 2) + (margin & (int)width & 1),
        };
        return Repeat(fill, left) + text + Repeat(fill, margin - left);
    }

    private static string Repeat(string unit, int count) => count <= 0 ? string.Empty : new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();

    private static string ZeroFill(RenderSession session, string text, CallArguments args)
    {
        if (args.Count != 1 || !PyIntegers.TryGetLong(args.Positional[0], out var width))
        {
            throw PyErrors.TypeError("zfill() takes exactly one integer argument");
        }

        var length = PyString.Length(text);
        if (width <= length)
        {
            return text;
        }

        session.ChargeString(width);
        var padding = new string('0', (int)(width - length));
        return text.Length > 0 && text[0] is '+' or '-' ? text[0] + padding + text[1..] : padding + text;
    }

    private static string ExpandTabs(RenderSession session, string text, CallArguments args)
    {
        var values = args.Bind("expandtabs", ["tabsize"], [PyBox.Int(8)]);
        if (!PyIntegers.TryGetLong(values[0], out var size))
        {
            throw PyErrors.TypeError("an integer is required");
        }

        var builder = new StringBuilder(text.Length);
        var column = 0L;
        foreach (var c in text)
        {
            if (c == '\t')
            {
                if (size > 0)
                {
                    var spaces = size - (column % size);
                    session.ChargeString(builder.Length + spaces);
                    builder.Append(' ', (int)spaces);
                    column += spaces;
                }
            }
            else
            {
                builder.Append(c);
                column = c is '\n' or '\r' ? 0 : column + 1;
            }
        }

        return builder.ToString();
    }

    private static bool Classify(string text, string name)
    {
        var points = PyString.CodePoints(text);
        switch (name)
        {
            case "isascii":
                return Array.TrueForAll(points, p => p < 128);
            case "islower":
            case "isupper":
                var cased = false;
                foreach (var p in points)
                {
                    var category = CharUnicodeInfo.GetUnicodeCategory(p);
                    if (category is UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter)
                    {
                        if (name == "islower")
                        {
                            return false;
                        }

                        cased = true;
                    }
                    else if (category == UnicodeCategory.LowercaseLetter)
                    {
                        if (name == "isupper")
                        {
                            return false;
                        }

                        cased = true;
                    }
                }

                return cased;
            case "istitle":
                return IsTitle(points);
            case "isidentifier":
                return points.Length > 0 && (points[0] == '_' || char.IsLetter(PyString.FromCodePoint(points[0]), 0))
                    && Array.TrueForAll(points, p => p == '_' || char.IsLetterOrDigit(PyString.FromCodePoint(p), 0));
            case "isprintable":
                return Array.TrueForAll(points, PythonStringRepr.IsPrintable);
        }

        if (points.Length == 0)
        {
            return false;
        }

        return name switch
        {
            "isspace" => Array.TrueForAll(points, PythonWhitespace.IsSpace),
            "isalpha" => Array.TrueForAll(points, IsAlpha),
            "isdecimal" or "isdigit" => Array.TrueForAll(points, p => CharUnicodeInfo.GetUnicodeCategory(p) == UnicodeCategory.DecimalDigitNumber
                || (name == "isdigit" && CharUnicodeInfo.GetDecimalDigitValue(PyString.FromCodePoint(p), 0) >= 0)),
            "isnumeric" => Array.TrueForAll(points, p => CharUnicodeInfo.GetNumericValue(PyString.FromCodePoint(p), 0) >= 0),
            _ => Array.TrueForAll(points, p => IsAlpha(p) || CharUnicodeInfo.GetNumericValue(PyString.FromCodePoint(p), 0) >= 0),
        };
    }

    private static bool IsAlpha(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    private static bool IsTitle(int[] points)
    {
        var cased = false;
        var previousCased = false;
        foreach (var p in points)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(p);
            if (category is UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter)
            {
                if (previousCased)
                {
                    return false;
                }

                previousCased = true;
                cased = true;
            }
            else if (category == UnicodeCategory.LowercaseLetter)
            {
                if (!previousCased)
                {
                    return false;
                }

                previousCased = true;
                cased = true;
            }
            else
            {
                previousCased = false;
            }
        }

        return cased;
    }
}
