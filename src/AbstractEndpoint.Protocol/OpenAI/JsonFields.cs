using System.Text.Json;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>Typed reads of JSON values that fail with a 400 naming the field, in OpenAI's wording.</summary>
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

    public static InvalidRequestException TypeError(string param, string expected, JsonElement actual) =>
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
