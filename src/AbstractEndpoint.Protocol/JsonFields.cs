using System.Globalization;
using System.Numerics;
using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.Protocol;

/// <summary>
/// Typed reads of JSON values that fail with a 400 naming the field, in OpenAI's wording: the one set of field checks
/// of every wire format. The OpenAI bodies use the strict reads; the prompt-cache control plane (through
/// <see cref="JsonObjectFields"/>) adds the Python-compatible ones its original's pydantic models imply.
/// </summary>
internal static class JsonFields
{
    public static string String(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw TypeError(param, "a string", value);
        }

        return value.GetString()!;
    }

    public static bool Boolean(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw TypeError(param, "a boolean", value),
    };

    public static double Number(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw TypeError(param, "a number", value);
        }

        if (number < min || number > max)
        {
            throw new InvalidRequestException(
                $"Invalid '{param}': {number} is out of range; expected a value from {min} to {max}.", param, "invalid_value");
        }

        return number;
    }

    public static long Integer(JsonElement value, string param, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw TypeError(param, "an integer", value);
        }

        if (number < min || number > max)
        {
            throw new InvalidRequestException(
                $"Invalid '{param}': {number} is out of range; expected an integer from {min} to {max}.", param, "invalid_value");
        }

        return number;
    }

    public static void RequireKind(JsonElement value, JsonValueKind kind, string param, string expected)
    {
        if (value.ValueKind != kind)
        {
            throw TypeError(param, expected, value);
        }
    }

    /// <summary>
    /// A string that is text: System.Text.Json refuses to materialise one holding an unpaired surrogate (a legal JSON
    /// escape), which becomes a 400 here instead of a failure deep in hashing or rendering.
    /// </summary>
    public static string ReadableString(JsonElement value, string param)
    {
        RequireKind(value, JsonValueKind.String, param, "a string");
        return ReadText(value, param);
    }

    /// <summary>Any JSON number as Python's <c>float()</c> reads it: ints accepted, an exponent beyond range is infinity.</summary>
    public static double PythonNumber(JsonElement value, string param)
    {
        RequireKind(value, JsonValueKind.Number, param, "a number");
        var number = JsonNumberToken.Read(value);
        return number.IsFloat ? number.Float : (double)number.Integer;
    }

    /// <summary>A 64-bit integer, accepting an integral float (<c>2.0</c>) as pydantic does.</summary>
    public static long PythonInteger(JsonElement value, string param)
    {
        RequireKind(value, JsonValueKind.Number, param, "an integer");
        var number = JsonNumberToken.Read(value);
        if (number.IsFloat && !(double.IsFinite(number.Float) && Math.Floor(number.Float) == number.Float))
        {
            throw new InvalidRequestException(
                $"Invalid type for '{param}': expected an integer, but got a number with a fractional part.", param, "invalid_type");
        }

        var integer = number.IsFloat ? new BigInteger(number.Float) : number.Integer;
        if (integer < long.MinValue || integer > long.MaxValue)
        {
            throw new InvalidRequestException(
                $"Invalid '{param}': {integer.ToString(CultureInfo.InvariantCulture)} is out of range; expected a 64-bit integer.",
                param,
                "invalid_value");
        }

        return (long)integer;
    }

    /// <summary>An array whose every item is an object (pydantic's <c>List[Dict[str, Any]]</c>), readable throughout and cloned.</summary>
    public static IReadOnlyList<JsonElement> ObjectList(JsonElement value, string param)
    {
        RequireKind(value, JsonValueKind.Array, param, "an array");
        var items = new List<JsonElement>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemParam = $"{param}[{index++}]";
            RequireKind(item, JsonValueKind.Object, itemParam, "an object");
            EnsureReadable(item, itemParam);
            items.Add(item.Clone());
        }

        return items;
    }

    /// <summary>A member's name, or false when it holds an unpaired surrogate (so it cannot be a name we know).</summary>
    public static bool TryReadName(JsonProperty property, out string name)
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

    public static InvalidRequestException Missing(string param) =>
        new($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    public static InvalidRequestException TypeError(string param, string expected, JsonElement actual) =>
        new($"Invalid type for '{param}': expected {expected}, but got {Describe(actual)}.", param, "invalid_type");

    /// <summary>Checks every string and member name inside the value (see <see cref="ReadableString"/>).</summary>
    private static void EnsureReadable(JsonElement value, string param)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ReadText(value, param);
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

    private static string ReadText(JsonElement value, string param)
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

    private static InvalidRequestException UnpairedSurrogate(string param) =>
        new($"Invalid '{param}': a string contains an unpaired UTF-16 surrogate, which is not text.", param, "invalid_value");

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
