using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Python;

namespace AbstractEndpoint.PromptCaching.Json;

/// <summary>
/// Writes JSON byte-for-byte as CPython's <c>json.dumps(obj, ensure_ascii=False, separators=(",", ":"))</c>:
/// no whitespace, non-ASCII left raw, Python's escapes, Python's float repr. With <c>sortKeys</c> it is the original's
/// hashing form (<c>sort_keys=True</c>); without, it is what Starlette's <c>JSONResponse</c> sends (dict order,
/// <c>allow_nan=False</c>).
/// </summary>
public sealed class PythonJsonWriter(bool sortKeys, bool allowNan)
{
    private readonly StringBuilder _output = new();

    // One flag per open container: has it received an item yet (so the next one needs a comma)?
    private readonly Stack<bool> _containerHasItems = new();
    private bool _afterPropertyName;

    public override string ToString() => _output.ToString();

    /// <summary>
    /// The UTF-8 bytes, failing on an unpaired surrogate exactly where Python's <c>str.encode("utf-8")</c> does.
    /// </summary>
    public byte[] ToUtf8Bytes() => PythonUtf8.Encode(_output.ToString());

    public void StartObject()
    {
        BeforeValue();
        _output.Append('{');
        _containerHasItems.Push(false);
    }

    public void EndObject()
    {
        _containerHasItems.Pop();
        _output.Append('}');
    }

    public void StartArray()
    {
        BeforeValue();
        _output.Append('[');
        _containerHasItems.Push(false);
    }

    public void EndArray()
    {
        _containerHasItems.Pop();
        _output.Append(']');
    }

    public void WritePropertyName(string name)
    {
        BeforeValue();
        AppendQuoted(name);
        _output.Append(':');
        _afterPropertyName = true;
    }

    public void WriteNull()
    {
        BeforeValue();
        _output.Append("null");
    }

    public void WriteBoolean(bool value)
    {
        BeforeValue();
        _output.Append(value ? "true" : "false");
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNull();
            return;
        }

        BeforeValue();
        AppendQuoted(value);
    }

    public void WriteInteger(BigInteger value)
    {
        BeforeValue();
        _output.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    public void WriteFloat(double value)
    {
        BeforeValue();
        if (double.IsFinite(value))
        {
            _output.Append(PythonFloat.Repr(value));
            return;
        }

        if (!allowNan)
        {
            // Python's own message for allow_nan=False.
            throw new ArgumentException("Out of range float values are not JSON compliant", nameof(value));
        }

        _output.Append(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    public void WriteElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                StartObject();
                foreach (var (name, value) in Properties(element))
                {
                    WritePropertyName(name);
                    WriteElement(value);
                }

                EndObject();
                break;
            case JsonValueKind.Array:
                StartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteElement(item);
                }

                EndArray();
                break;
            case JsonValueKind.String:
                WriteString(element.GetString());
                break;
            case JsonValueKind.Number:
                var number = JsonNumberToken.Read(element);
                if (number.IsFloat)
                {
                    WriteFloat(number.Float);
                }
                else
                {
                    WriteInteger(number.Integer);
                }

                break;
            case JsonValueKind.True:
                WriteBoolean(true);
                break;
            case JsonValueKind.False:
                WriteBoolean(false);
                break;
            default:
                WriteNull();
                break;
        }
    }

    public void WriteNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                WriteNull();
                break;
            case JsonObject obj:
                StartObject();
                IEnumerable<KeyValuePair<string, JsonNode?>> properties = obj;
                if (sortKeys)
                {
                    properties = properties.OrderBy(p => p.Key, CodePointComparer.Instance);
                }

                foreach (var (name, value) in properties)
                {
                    WritePropertyName(name);
                    WriteNode(value);
                }

                EndObject();
                break;
            case JsonArray array:
                StartArray();
                foreach (var item in array)
                {
                    WriteNode(item);
                }

                EndArray();
                break;
            case JsonValue value:
                WriteValue(value);
                break;
        }
    }

    /// <summary>
    /// A value built in code keeps its CLR type, which says whether Python would hold an int or a float
    /// (<c>JsonValue.Create(1.0)</c> is the float 1.0, even though System.Text.Json would print "1").
    /// </summary>
    private void WriteValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteElement(element);
        }
        else if (value.TryGetValue<string>(out var text))
        {
            WriteString(text);
        }
        else if (value.TryGetValue<bool>(out var flag))
        {
            WriteBoolean(flag);
        }
        else if (value.TryGetValue<double>(out var d))
        {
            WriteFloat(d);
        }
        else if (value.TryGetValue<float>(out var f))
        {
            WriteFloat(f);
        }
        else if (value.TryGetValue<decimal>(out var m))
        {
            WriteFloat((double)m);
        }
        else if (value.TryGetValue<long>(out var l))
        {
            WriteInteger(l);
        }
        else if (value.TryGetValue<int>(out var i))
        {
            WriteInteger(i);
        }
        else if (value.TryGetValue<ulong>(out var ul))
        {
            WriteInteger(ul);
        }
        else if (value.TryGetValue<uint>(out var ui))
        {
            WriteInteger(ui);
        }
        else if (value.TryGetValue<short>(out var s))
        {
            WriteInteger(s);
        }
        else if (value.TryGetValue<ushort>(out var us))
        {
            WriteInteger(us);
        }
        else if (value.TryGetValue<byte>(out var b))
        {
            WriteInteger(b);
        }
        else if (value.TryGetValue<sbyte>(out var sb))
        {
            WriteInteger(sb);
        }
        else if (value.TryGetValue<char>(out var c))
        {
            WriteString(c.ToString());
        }
        else
        {
            // Anything else (dates, GUIDs, enums…) is written as System.Text.Json would, then read back.
            using var document = JsonDocument.Parse(value.ToJsonString());
            WriteElement(document.RootElement);
        }
    }

    /// <summary>An object's members in Python dict order, sorted by code point when writing the hashing form.</summary>
    private List<KeyValuePair<string, JsonElement>> Properties(JsonElement obj)
    {
        var members = PythonDict.Members(obj);
        if (sortKeys)
        {
            members.Sort((a, b) => CodePointComparer.Instance.Compare(a.Key, b.Key));
        }

        return members;
    }

    private void BeforeValue()
    {
        if (_afterPropertyName)
        {
            _afterPropertyName = false;
            return;
        }

        if (_containerHasItems.Count > 0)
        {
            if (_containerHasItems.Pop())
            {
                _output.Append(',');
            }

            _containerHasItems.Push(true);
        }
    }

    /// <summary>
    /// Python's <c>py_encode_basestring</c>: only <c>"</c>, <c>\</c> and C0 controls are escaped; <c>/</c>, <c>&lt;</c>,
    /// DEL, U+2028/2029 and all non-ASCII stay raw; escapes are lowercase hex.
    /// </summary>
    private void AppendQuoted(string text)
    {
        _output.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    _output.Append("\\\"");
                    break;
                case '\\':
                    _output.Append("\\\\");
                    break;
                case '\n':
                    _output.Append("\\n");
                    break;
                case '\r':
                    _output.Append("\\r");
                    break;
                case '\t':
                    _output.Append("\\t");
                    break;
                case '\b':
                    _output.Append("\\b");
                    break;
                case '\f':
                    _output.Append("\\f");
                    break;
                default:
                    if (c < ' ')
                    {
                        _output.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _output.Append(c);
                    }

                    break;
            }
        }

        _output.Append('"');
    }
}
