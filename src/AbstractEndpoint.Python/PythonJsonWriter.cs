using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Python;

/// <summary>
/// Writes JSON byte-for-byte as CPython's <c>json.dumps</c> with the given <see cref="PythonJsonFormat"/>: Python's
/// separators and indentation, Python's string escapes, Python's float repr. Callers push values one by one (a
/// template engine walks its own values) or hand over parsed JSON (<see cref="WriteElement"/>, <see cref="WriteNode"/>),
/// which is written as <c>json.dumps(json.loads(text))</c> would write it.
/// </summary>
public sealed class PythonJsonWriter(PythonJsonFormat format)
{
    private readonly StringBuilder _output = new();

    // One flag per open container: has it received an item yet (so the next one needs a comma)?
    private readonly Stack<bool> _containerHasItems = new();
    private bool _afterPropertyName;

    /// <summary>
    /// The compact form (<c>ensure_ascii=False, separators=(",", ":")</c>) that the prompt-cache original uses twice:
    /// sorted with NaN allowed is its hashing form; unsorted with NaN refused is what Starlette's <c>JSONResponse</c>
    /// sends.
    /// </summary>
    public PythonJsonWriter(bool sortKeys, bool allowNan)
        : this(PythonJsonFormat.Compact with { SortKeys = sortKeys, AllowNan = allowNan })
    {
    }

    /// <summary>Characters written so far, for callers that bound the output.</summary>
    public int Length => _output.Length;

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

    public void EndObject() => EndContainer('}');

    public void StartArray()
    {
        BeforeValue();
        _output.Append('[');
        _containerHasItems.Push(false);
    }

    public void EndArray() => EndContainer(']');

    public void WritePropertyName(string name)
    {
        BeforeValue();
        AppendQuoted(name);
        _output.Append(format.KeySeparator);
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

    public void WriteInteger(long value)
    {
        BeforeValue();
        _output.Append(value.ToString(CultureInfo.InvariantCulture));
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

        if (!format.AllowNan)
        {
            // Python's own message for allow_nan=False.
            throw new ArgumentException("Out of range float values are not JSON compliant", nameof(value));
        }

        _output.Append(PythonFloat.JsonText(value));
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
                if (format.SortKeys)
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
        if (format.SortKeys)
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
                _output.Append(format.ItemSeparator);
            }

            _containerHasItems.Push(true);
            NewLine(_containerHasItems.Count);
        }
    }

    /// <summary>An empty container stays <c>[]</c>/<c>{}</c> even when indenting, as in Python.</summary>
    private void EndContainer(char close)
    {
        if (_containerHasItems.Pop())
        {
            NewLine(_containerHasItems.Count);
        }

        _output.Append(close);
    }

    private void NewLine(int level)
    {
        if (format.Indent is null)
        {
            return;
        }

        _output.Append('\n');
        for (var i = 0; i < level; i++)
        {
            _output.Append(format.Indent);
        }
    }

    /// <summary>
    /// Python's <c>py_encode_basestring</c> (and, with <c>ensure_ascii</c>, <c>py_encode_basestring_ascii</c>): only
    /// <c>"</c>, <c>\</c> and C0 controls are escaped (plus every non-ASCII UTF-16 unit with ensure_ascii); <c>/</c>,
    /// <c>&lt;</c>, DEL and U+2028/2029 stay raw; escapes are lowercase hex.
    /// </summary>
    private void AppendQuoted(string text)
    {
        _output.Append('"');
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
                _ => c < ' ' || (format.EnsureAscii && c >= 0x7F) ? "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) : null,
            };
            if (escape is null)
            {
                continue;
            }

            _output.Append(text, start, i - start).Append(escape);
            start = i + 1;
        }

        _output.Append(text, start, text.Length - start).Append('"');
    }
}
