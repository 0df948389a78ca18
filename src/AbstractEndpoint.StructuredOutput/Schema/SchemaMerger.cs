using System.Text.Json.Nodes;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// Flattens <c>allOf</c> into one schema. Object parts merge the way authors mean them (properties united,
/// required lists joined, a shared property becomes the allOf of its definitions); numeric and length bounds
/// tighten; types intersect. Anything that cannot be combined exactly (two different patterns, two anyOf lists,
/// clashing consts) is rejected rather than approximated.
/// </summary>
internal static class SchemaMerger
{
    private static readonly HashSet<string> LowerBounds = new(StringComparer.Ordinal)
    {
        "minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties",
    };

    private static readonly HashSet<string> UpperBounds = new(StringComparer.Ordinal)
    {
        "maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties",
    };

    /// <summary>Merges the parts (already free of $ref and allOf at their top level) into one new schema object.</summary>
    public static JsonObject Merge(IReadOnlyList<JsonObject> parts, string path)
    {
        var result = new JsonObject();
        foreach (var part in parts)
        {
            foreach (var (key, value) in part)
            {
                if (SchemaKeywords.Annotations.Contains(key))
                {
                    if (!result.ContainsKey(key) && key is "title" or "description")
                    {
                        result[key] = value?.DeepClone();
                    }

                    continue;
                }

                if (!result.TryGetPropertyValue(key, out var existing))
                {
                    result[key] = value?.DeepClone();
                    continue;
                }

                result[key] = Combine(key, existing, value, path);
            }
        }

        return result;
    }

    private static JsonNode? Combine(string key, JsonNode? a, JsonNode? b, string path)
    {
        if (JsonNode.DeepEquals(a, b))
        {
            return a;
        }

        switch (key)
        {
            case "properties":
                {
                    if (a is not JsonObject pa || b is not JsonObject pb)
                    {
                        throw new SchemaConversionException("'properties' must be an object", path);
                    }

                    var merged = (JsonObject)pa.DeepClone();
                    foreach (var (name, schema) in pb)
                    {
                        merged[name] = merged.TryGetPropertyValue(name, out var prior) && prior is not null
                            ? new JsonObject { ["allOf"] = new JsonArray(prior.DeepClone(), schema?.DeepClone()) }
                            : schema?.DeepClone();
                    }

                    return merged;
                }

            case "required":
                {
                    if (a is not JsonArray ra || b is not JsonArray rb)
                    {
                        throw new SchemaConversionException("'required' must be an array", path);
                    }

                    var names = new List<string>();
                    foreach (var n in ra.Concat(rb))
                    {
                        if (n is not JsonValue nv || nv.GetValueKind() != System.Text.Json.JsonValueKind.String)
                        {
                            throw new SchemaConversionException("'required' must list property names", path);
                        }

                        var s = nv.GetValue<string>();
                        if (!names.Contains(s))
                        {
                            names.Add(s);
                        }
                    }

                    return new JsonArray([.. names.Select(n => (JsonNode)n)]);
                }

            case "type":
                {
                    var ta = Types(a, path);
                    var tb = Types(b, path);
                    var both = ta.Where(t => tb.Contains(t) || (t == "integer" && tb.Contains("number"))).ToList();
                    both.AddRange(tb.Where(t => t == "integer" && ta.Contains("number") && !both.Contains(t)));
                    if (both.Count == 0)
                    {
                        throw new SchemaConversionException("allOf combines incompatible types", path);
                    }

                    return both.Count == 1 ? both[0] : new JsonArray([.. both.Select(t => (JsonNode)t)]);
                }

            case "enum":
                {
                    if (a is not JsonArray ea || b is not JsonArray eb)
                    {
                        throw new SchemaConversionException("'enum' must be an array", path);
                    }

                    var kept = ea.Where(x => eb.Any(y => JsonNode.DeepEquals(x, y))).Select(x => x?.DeepClone()).ToArray();
                    if (kept.Length == 0)
                    {
                        throw new SchemaConversionException("allOf combines enums with no common value", path);
                    }

                    return new JsonArray(kept);
                }

            case "additionalProperties" or "items" or "unevaluatedProperties":
                if (a is JsonValue va && va.TryGetValue<bool>(out var ba) && !ba)
                {
                    return a;
                }

                if (b is JsonValue vb && vb.TryGetValue<bool>(out var bb) && !bb)
                {
                    return b;
                }

                if (a is JsonValue)
                {
                    return b?.DeepClone();
                }

                if (b is JsonValue)
                {
                    return a;
                }

                return new JsonObject { ["allOf"] = new JsonArray(a?.DeepClone(), b?.DeepClone()) };
        }

        if (LowerBounds.Contains(key) || UpperBounds.Contains(key))
        {
            if (a is JsonValue na && b is JsonValue nb && SchemaKeywords.AsDecimal(na) is { } da && SchemaKeywords.AsDecimal(nb) is { } db)
            {
                return LowerBounds.Contains(key) == (da >= db) ? a : b?.DeepClone();
            }
        }

        throw new SchemaConversionException("allOf combines different values of '" + key + "', which cannot be merged exactly", path);
    }

    private static List<string> Types(JsonNode? node, string path)
    {
        var items = node is JsonArray arr ? arr.ToList() : [node];
        return items.Select(x => x is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SchemaConversionException("'type' must be a string or an array of strings", path)).ToList();
    }
}
