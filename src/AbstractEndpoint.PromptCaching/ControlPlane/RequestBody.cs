using System.Globalization;
using System.Numerics;
using System.Text.Json;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.ControlPlane;

/// <summary>
/// Typed reads of a control-plane body's fields, failing with a 400 that names the field. Matches the original's
/// pydantic models where it matters to clients (unknown fields ignored, a repeated field's last value wins, ints
/// accepted for floats, integral floats for ints) and is otherwise strict: no "yes"/"1" strings for booleans or
/// numeric strings for numbers, which pydantic's lax mode took. A null optional field counts as absent.
/// </summary>
internal sealed class RequestBody
{
    // Deep enough for any realistic message list; System.Text.Json's default of 64 is not (Python allows ~1000).
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };

    private readonly Dictionary<string, JsonElement> _fields;

    private RequestBody(Dictionary<string, JsonElement> fields) => _fields = fields;

    /// <summary>Parses the bytes and maps them; everything the result keeps must be cloned by the reads below.</summary>
    public static T Read<T>(ReadOnlyMemory<byte> utf8Body, Func<RequestBody, T> map)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new PromptCacheRequestException(
                $"We could not parse the JSON body of your request: {ex.Message}", null, "invalid_json", ex);
        }

        using (document)
        {
            return map(Of(document.RootElement));
        }
    }

    public static RequestBody Of(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw TypeError("body", "a JSON object", root);
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            // Python's json.loads keeps the last of repeated names; a name we cannot read is not one we know.
            if (TryReadName(property, out var name))
            {
                fields[name] = property.Value;
            }
        }

        return new RequestBody(fields);
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw Missing(name);

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw TypeError(name, "a string", value);
        }

        return ReadString(value, name);
    }

    public bool Boolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw TypeError(name, "a boolean", value),
        };
    }

    /// <summary>Any JSON number; an exponent beyond double's range reads as infinity, as Python's float() does.</summary>
    public double? OptionalNumber(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw TypeError(name, "a number", value);
        }

        var number = JsonNumberToken.Read(value);
        return number.IsFloat ? number.Float : (double)number.Integer;
    }

    public long Integer(string name, long defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw TypeError(name, "an integer", value);
        }

        var number = JsonNumberToken.Read(value);
        if (number.IsFloat && !(double.IsFinite(number.Float) && Math.Floor(number.Float) == number.Float))
        {
            throw new PromptCacheRequestException(
                $"Invalid type for '{name}': expected an integer, but got a number with a fractional part.", name, "invalid_type");
        }

        var integer = number.IsFloat ? new BigInteger(number.Float) : number.Integer;
        if (integer < long.MinValue || integer > long.MaxValue)
        {
            throw new PromptCacheRequestException(
                $"Invalid '{name}': {integer.ToString(CultureInfo.InvariantCulture)} is out of range; expected a 64-bit integer.",
                name,
                "invalid_value");
        }

        return (long)integer;
    }

    public IReadOnlyList<JsonElement> RequiredObjects(string name) =>
        OptionalObjects(name) ?? throw Missing(name);

    /// <summary>A list whose every item is an object (pydantic's <c>List[Dict[str, Any]]</c>), cloned.</summary>
    public IReadOnlyList<JsonElement>? OptionalObjects(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw TypeError(name, "an array", value);
        }

        var items = new List<JsonElement>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var param = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw TypeError(param, "an object", item);
            }

            EnsureReadable(item, param);
            items.Add(item.Clone());
        }

        return items;
    }

    private bool TryGet(string name, out JsonElement value) =>
        _fields.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// System.Text.Json refuses to materialise a string holding an unpaired surrogate (legal JSON escapes, but not
    /// text); checking the whole value now turns that into a 400 instead of a failure deep in hashing.
    /// </summary>
    private static void EnsureReadable(JsonElement value, string param)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ReadString(value, param);
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    EnsureReadable(item, param);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    if (!TryReadName(property, out _))
                    {
                        throw UnpairedSurrogate(param);
                    }

                    EnsureReadable(property.Value, param);
                }

                break;
        }
    }

    private static string ReadString(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw UnpairedSurrogate(param);
        }
    }

    private static bool TryReadName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    private static PromptCacheRequestException UnpairedSurrogate(string param) =>
        new($"Invalid '{param}': a string contains an unpaired UTF-16 surrogate, which is not text.", param, "invalid_value");

    private static PromptCacheRequestException Missing(string name) =>
        new($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

    private static PromptCacheRequestException TypeError(string param, string expected, JsonElement actual) =>
        new($"Invalid type for '{param}': expected {expected}, but got {Describe(actual)}.", param, "invalid_type");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
