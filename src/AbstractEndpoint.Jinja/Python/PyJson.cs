using System.Globalization;
using System.Numerics;
using System.Text;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>json.dumps(value, ensure_ascii, indent, separators, sort_keys)</c>, byte for byte: separators
/// <c>", "</c>/<c>": "</c> (<c>","</c> with an indent), Python float spelling, keys converted the way Python does.
/// </summary>
internal sealed class PyJson
{
    private readonly StringBuilder _out = new();
    private readonly bool _ensureAscii;
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _sortKeys;
    private readonly RenderSession _session;

    private PyJson(bool ensureAscii, string? indent, string itemSeparator, string keySeparator, bool sortKeys, RenderSession session)
    {
        _ensureAscii = ensureAscii;
        _indent = indent;
        _itemSeparator = itemSeparator;
        _keySeparator = keySeparator;
        _sortKeys = sortKeys;
        _session = session;
    }

    public static string Dumps(object? value, bool ensureAscii, object? indent, object? separators, bool sortKeys, RenderSession session)
    {
        string? indentText = indent switch
        {
            null => null,
            string s => s,
            Markup m => m.Value,
            long or bool => new string(' ', (int)Math.Clamp(PyIntegers.TryGetLong(indent, out var n) ? n : 0, 0, 1000)),
            _ => throw PyErrors.TypeError($"can't multiply sequence by non-int of type '{PyTypeNames.Of(indent)}'"),
        };
        var itemSeparator = indentText is null ? ", " : ",";
        var keySeparator = ": ";
        if (separators is not null)
        {
            var parts = separators switch
            {
                PyTuple t => t.Items,
                PyList l => [.. l.Items],
                _ => throw PyErrors.TypeError("separators must be a (item_separator, key_separator) pair"),
            };
            if (parts.Length != 2 || !PyString.TryGet(parts[0], out itemSeparator) || !PyString.TryGet(parts[1], out keySeparator))
            {
                throw PyErrors.ValueError("separators must be a (item_separator, key_separator) pair of strings");
            }
        }

        var encoder = new PyJson(ensureAscii, indentText, itemSeparator, keySeparator, sortKeys, session);
        encoder.Write(value, 0);
        session.ChargeString(encoder._out.Length);
        return encoder._out.ToString();
    }

    private void Write(object? value, int level)
    {
        if (_out.Length > _session.Options.MaxOutputLength)
        {
            throw new JinjaLimitException("tojson output exceeds the output limit");
        }

        switch (value)
        {
            case string s:
                WriteString(s);
                break;
            case Markup m:
                WriteString(m.Value);
                break;
            case null:
                _out.Append("null");
                break;
            case bool b:
                _out.Append(b ? "true" : "false");
                break;
            case long l:
                _out.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger big:
                _out.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                _out.Append(FloatText(d));
                break;
            case PyList list:
                WriteArray(list.Items, level);
                break;
            case PyTuple tuple:
                WriteArray(tuple.Items, level);
                break;
            case PyDict dict:
                WriteObject(dict, level);
                break;
            default:
                throw PyErrors.TypeError($"Object of type {PyTypeNames.Of(value)} is not JSON serializable");
        }
    }

    private static string FloatText(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : PyFloatFormatter.Repr(value);

    private void WriteArray(IReadOnlyList<object?> items, int level)
    {
        if (items.Count == 0)
        {
            _out.Append("[]");
            return;
        }

        CheckDepth(level);
        _out.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            _out.Append(i == 0 ? string.Empty : _itemSeparator);
            NewLine(level + 1);
            Write(items[i], level + 1);
        }

        NewLine(level);
        _out.Append(']');
    }

    private void WriteObject(PyDict dict, int level)
    {
        if (dict.Count == 0)
        {
            _out.Append("{}");
            return;
        }

        CheckDepth(level);
        var order = new int[dict.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (_sortKeys)
        {
            // Python sorts the raw keys (mixed key types raise TypeError), stably.
            var keys = new object?[dict.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = dict.KeyAt(i);
            }

            PySorting.Sort(order, (a, b) => PyOps.Compare(keys[a], keys[b], "<") < 0, reverse: false);
        }

        _out.Append('{');
        for (var n = 0; n < order.Length; n++)
        {
            var i = order[n];
            _out.Append(n == 0 ? string.Empty : _itemSeparator);
            NewLine(level + 1);
            WriteString(KeyText(dict.KeyAt(i)));
            _out.Append(_keySeparator);
            Write(dict.ValueAt(i), level + 1);
        }

        NewLine(level);
        _out.Append('}');
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        Markup m => m.Value,
        double d => FloatText(d),
        bool b => b ? "true" : "false",
        null => "null",
        long or BigInteger => PyRepr.Str(key),
        _ => throw PyErrors.TypeError($"keys must be str, int, float, bool or None, not {PyTypeNames.Of(key)}"),
    };

    private void NewLine(int level)
    {
        if (_indent is null)
        {
            return;
        }

        _out.Append('\n');
        for (var i = 0; i < level; i++)
        {
            _out.Append(_indent);
        }
    }

    private static void CheckDepth(int level)
    {
        if (level > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("value nesting is too deep to serialize");
        }
    }

    private void WriteString(string text)
    {
        _out.Append('"');
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                _ => c < ' ' || (_ensureAscii && c >= 0x7F) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : null,
            };
            if (escape is null)
            {
                continue;
            }

            _out.Append(text, start, i - start).Append(escape);
            start = i + 1;
        }

        _out.Append(text, start, text.Length - start).Append('"');
    }
}
