using System.Text.Json;

namespace AbstractEndpoint.Python;

/// <summary>Python dict semantics over parsed JSON objects and the <c>dict(x)</c> conversion.</summary>
public static class PythonDict
{
    /// <summary>
    /// An object's members as <c>json.loads</c> builds the dict: a repeated name keeps its first position and its
    /// last value.
    /// </summary>
    public static List<KeyValuePair<string, JsonElement>> Members(JsonElement obj)
    {
        var members = new List<KeyValuePair<string, JsonElement>>();
        Dictionary<string, int>? positions = null;
        foreach (var property in obj.EnumerateObject())
        {
            positions ??= new Dictionary<string, int>(StringComparer.Ordinal);
            if (positions.TryGetValue(property.Name, out var at))
            {
                members[at] = new(property.Name, property.Value);
            }
            else
            {
                positions[property.Name] = members.Count;
                members.Add(new(property.Name, property.Value));
            }
        }

        return members;
    }

    /// <summary>
    /// Whether <c>dict(x or {})</c> succeeds. The original runs it on a module's <c>meta</c> while normalising, and a
    /// module whose meta fails it is silently skipped, so this decides whether the module exists at all.
    /// </summary>
    /// <remarks>
    /// Falsy values become <c>{}</c>; an object is a dict already; a list converts when every item is a pair: a
    /// two-character string, a two-item list whose first item is hashable (not a list or object), or an object with
    /// exactly two keys (iterating a dict yields its keys). Any other value (a non-empty string, a non-zero number,
    /// <c>true</c>) raises.
    /// </remarks>
    public static bool AcceptsConversion(JsonElement value)
    {
        if (!PythonTruthiness.IsTruthy(value) || value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            var isPair = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString()!.EnumerateRunes().Count() == 2,
                JsonValueKind.Array => item.GetArrayLength() == 2
                    && item[0].ValueKind is not (JsonValueKind.Array or JsonValueKind.Object),
                JsonValueKind.Object => Members(item).Count == 2,
                _ => false,
            };
            if (!isPair)
            {
                return false;
            }
        }

        return true;
    }
}
