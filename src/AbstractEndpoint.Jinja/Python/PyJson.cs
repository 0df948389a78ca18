using System.Numerics;
using AbstractEndpoint.Jinja.Runtime;
using AbstractEndpoint.Jinja.Values;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Jinja.Python;

/// <summary>
/// Python's <c>json.dumps(value, ensure_ascii, indent, separators, sort_keys)</c> over template values, byte for byte:
/// the layout is the shared <see cref="PythonJsonWriter"/>'s; this walker adds what only template values need (tuples,
/// Markup, non-string keys converted the way Python does, keys sorted with Python's mixed-type errors, and the
/// render's output and nesting limits).
/// </summary>
internal sealed class PyJson
{
    private readonly PythonJsonWriter _writer;
    private readonly bool _sortKeys;
    private readonly RenderSession _session;

    private PyJson(PythonJsonFormat format, bool sortKeys, RenderSession session)
    {
        _writer = new PythonJsonWriter(format);
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

        // Keys are sorted here, not by the writer: template dict keys are not all strings.
        var format = new PythonJsonFormat
        {
            EnsureAscii = ensureAscii,
            Indent = indentText,
            ItemSeparator = itemSeparator,
            KeySeparator = keySeparator,
        };
        var encoder = new PyJson(format, sortKeys, session);
        encoder.Write(value, 0);
        session.ChargeString(encoder._writer.Length);
        return encoder._writer.ToString();
    }

    private void Write(object? value, int level)
    {
        if (_writer.Length > _session.Options.MaxOutputLength)
        {
            throw new JinjaLimitException("tojson output exceeds the output limit");
        }

        switch (value)
        {
            case string s:
                _writer.WriteString(s);
                break;
            case Markup m:
                _writer.WriteString(m.Value);
                break;
            case null:
                _writer.WriteNull();
                break;
            case bool b:
                _writer.WriteBoolean(b);
                break;
            case long l:
                _writer.WriteInteger(l);
                break;
            case BigInteger big:
                _writer.WriteInteger(big);
                break;
            case double d:
                _writer.WriteFloat(d);
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

    private void WriteArray(IReadOnlyList<object?> items, int level)
    {
        if (items.Count > 0)
        {
            CheckDepth(level);
        }

        _writer.StartArray();
        for (var i = 0; i < items.Count; i++)
        {
            Write(items[i], level + 1);
        }

        _writer.EndArray();
    }

    private void WriteObject(PyDict dict, int level)
    {
        if (dict.Count > 0)
        {
            CheckDepth(level);
        }

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

        _writer.StartObject();
        foreach (var i in order)
        {
            _writer.WritePropertyName(KeyText(dict.KeyAt(i)));
            Write(dict.ValueAt(i), level + 1);
        }

        _writer.EndObject();
    }

    private static string KeyText(object? key) => key switch
    {
        string s => s,
        Markup m => m.Value,
        double d => PythonFloat.JsonText(d),
        bool b => b ? "true" : "false",
        null => "null",
        long or BigInteger => PyRepr.Str(key),
        _ => throw PyErrors.TypeError($"keys must be str, int, float, bool or None, not {PyTypeNames.Of(key)}"),
    };

    private static void CheckDepth(int level)
    {
        if (level > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("value nesting is too deep to serialize");
        }
    }
}
