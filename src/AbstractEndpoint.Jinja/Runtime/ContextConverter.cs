using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Jinja.Python;
using AbstractEndpoint.Jinja.Values;

namespace AbstractEndpoint.Jinja.Runtime;

/// <summary>
/// Turns the caller's .NET context into template values: dictionaries (order kept), lists, strings, numbers,
/// booleans, null, and System.Text.Json nodes/elements, where JSON integers become Python ints and other numbers
/// floats, as Python's <c>json.loads</c> does. Any other .NET type is refused: templates never see .NET objects.
/// </summary>
internal static class ContextConverter
{
    public static Dictionary<string, object?> ConvertContext(IReadOnlyDictionary<string, object?> context)
    {
        var result = new Dictionary<string, object?>(context.Count, StringComparer.Ordinal);
        foreach (var (key, value) in context)
        {
            result[key] = Convert(value, 0);
        }

        return result;
    }

    public static object? Convert(object? value, int depth)
    {
        if (depth > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("context data is nested too deeply");
        }

        RenderSession.EnsureStack();
        switch (value)
        {
            case null:
                return null;
            case string s:
                return s;
            case bool b:
                return PyBox.Bool(b);
            case int or long or short or sbyte or byte or ushort or uint:
                return PyBox.Int(System.Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong u:
                return PyIntegers.Normalize(u);
            case BigInteger big:
                return PyIntegers.Normalize(big);
            case double d:
                return d;
            case float f:
                return (double)f;
            case decimal m:
                return (double)m;
            case char c:
                return c.ToString();
            case JsonNode node:
                return ConvertNode(node, depth);
            case JsonElement element:
                return ConvertElement(element, depth);
            case IReadOnlyDictionary<string, object?> readOnly:
                var fromReadOnly = new PyDict(readOnly.Count);
                foreach (var (key, item) in readOnly)
                {
                    fromReadOnly.Set(key, Convert(item, depth + 1));
                }

                return fromReadOnly;
            case IDictionary<string, object?> dictionary:
                var fromDictionary = new PyDict(dictionary.Count);
                foreach (var (key, item) in dictionary)
                {
                    fromDictionary.Set(key, Convert(item, depth + 1));
                }

                return fromDictionary;
            case IDictionary untyped:
                var fromUntyped = new PyDict(untyped.Count);
                foreach (DictionaryEntry entry in untyped)
                {
                    fromUntyped.Set(Convert(entry.Key, depth + 1), Convert(entry.Value, depth + 1));
                }

                return fromUntyped;
            case IEnumerable sequence:
                var items = new List<object?>();
                foreach (var item in sequence)
                {
                    items.Add(Convert(item, depth + 1));
                }

                return new PyList(items);
            default:
                throw new ArgumentException(
                    $"Template context values must be null, bool, string, numbers, dictionaries, lists or JSON; got {value.GetType().Name}.");
        }
    }

    private static object? ConvertNode(JsonNode node, int depth)
    {
        if (depth > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("context data is nested too deeply");
        }

        RenderSession.EnsureStack();
        switch (node)
        {
            case JsonObject obj:
                var dict = new PyDict(obj.Count);
                foreach (var (key, item) in obj)
                {
                    dict.Set(key, item is null ? null : ConvertNode(item, depth + 1));
                }

                return dict;
            case JsonArray array:
                var items = new List<object?>(array.Count);
                foreach (var item in array)
                {
                    items.Add(item is null ? null : ConvertNode(item, depth + 1));
                }

                return new PyList(items);
            default:
                var value = node.AsValue();
                if (value.TryGetValue<JsonElement>(out var element))
                {
                    return ConvertElement(element, depth);
                }

                if (value.TryGetValue<string>(out var text))
                {
                    return text;
                }

                if (value.TryGetValue<bool>(out var flag))
                {
                    return PyBox.Bool(flag);
                }

                if (value.TryGetValue<long>(out var integer))
                {
                    return PyBox.Int(integer);
                }

                if (value.TryGetValue<int>(out var small))
                {
                    return PyBox.Int(small);
                }

                if (value.TryGetValue<double>(out var real))
                {
                    return real;
                }

                if (value.TryGetValue<decimal>(out var exact))
                {
                    return (double)exact;
                }

                if (value.TryGetValue<float>(out var single))
                {
                    return (double)single;
                }

                using (var document = JsonDocument.Parse(node.ToJsonString()))
                {
                    return ConvertElement(document.RootElement, depth);
                }
        }
    }

    private static object? ConvertElement(JsonElement element, int depth)
    {
        if (depth > PyRepr.MaxNesting)
        {
            throw new JinjaLimitException("context data is nested too deeply");
        }

        RenderSession.EnsureStack();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (var property in element.EnumerateObject())
                {
                    dict.Set(property.Name, ConvertElement(property.Value, depth + 1));
                }

                return dict;
            case JsonValueKind.Array:
                var items = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(ConvertElement(item, depth + 1));
                }

                return new PyList(items);
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return ConvertNumber(element.GetRawText());
            case JsonValueKind.True:
                return PyBox.True;
            case JsonValueKind.False:
                return PyBox.False;
            default:
                return null;
        }
    }

    /// <summary>Python's json: a number with a fraction or exponent is a float, otherwise an (unbounded) int.</summary>
    private static object ConvertNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny(".eE") >= 0)
        {
            return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
            ? PyBox.Int(integer)
            : PyIntegers.Normalize(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }
}
