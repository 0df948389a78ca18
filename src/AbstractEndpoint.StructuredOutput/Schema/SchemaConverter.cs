using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.StructuredOutput.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Schema;

/// <summary>
/// Walks one JSON Schema document and adds its grammar to a <see cref="GbnfBuilder"/>. Several documents can share
/// a builder (one per tool), so all rule names start from the caller's name.
/// </summary>
internal sealed class SchemaConverter
{
    /// <summary>Repetition bounds above this are not spelled out (llama.cpp expands counted repetition into rules).</summary>
    public const int MaxCountedRepetition = 1000;

    private const int MaxDepth = 64;

    private readonly GbnfBuilder _b;
    private readonly JsonNode? _document;
    private readonly string _prefix;
    private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);

    // References being expanded with no input consumed since: meeting one again would be left recursion, which
    // llama.cpp rejects. Entering an object, array or string consumes a character, so it starts a fresh set.
    private HashSet<string> _leftmost = new(StringComparer.Ordinal);
    private int _depth;

    private SchemaConverter(GbnfBuilder builder, JsonNode? document, string prefix)
    {
        _b = builder;
        _document = document;
        _prefix = prefix;
    }

    /// <summary>Adds the grammar for <paramref name="schema"/> as rule <paramref name="ruleName"/> (reserved by the caller or not) and returns its name.</summary>
    public static string AddDocument(GbnfBuilder builder, JsonNode? schema, string ruleName, bool nameIsReserved = false)
    {
        var converter = new SchemaConverter(builder, schema, ruleName);
        var name = nameIsReserved ? ruleName : builder.Reserve(ruleName);
        converter._refRules["#"] = name;
        converter._leftmost.Add("#");
        var body = Guard(() => converter.Expr(schema, name, "#"));
        builder.Define(name, body);
        return name;
    }

    /// <summary>
    /// A single GBNF term for <paramref name="schema"/>, a part of <paramref name="document"/> (which '$ref's resolve
    /// against). Used for the individual parameters of XML-style tool calls.
    /// </summary>
    public static string AddSubschema(GbnfBuilder builder, JsonNode? document, JsonNode? schema, string name, string path) =>
        Guard(() => new SchemaConverter(builder, document, name).Term(schema, name, path));

    // Keyword values of the wrong JSON type surface from System.Text.Json as cast/operation errors; callers are
    // promised SchemaConversionException for every bad schema.
    private static string Guard(Func<string> convert)
    {
        try
        {
            return convert();
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidCastException or FormatException or ArgumentException)
        {
            throw new SchemaConversionException("The schema is malformed: " + ex.Message, ex);
        }
    }

    private string Consuming(Func<string> build)
    {
        var saved = _leftmost;
        _leftmost = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            return build();
        }
        finally
        {
            _leftmost = saved;
        }
    }

    private string Expr(JsonNode? schema, string name, string path)
    {
        if (++_depth > MaxDepth)
        {
            throw new SchemaConversionException("The schema nests more than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels deep", path);
        }

        try
        {
            return ExprCore(schema, name, path);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Like <see cref="Expr"/> but always a single term: a rule name when the expression is compound.</summary>
    private string Term(JsonNode? schema, string name, string path)
    {
        var expr = Expr(schema, name, path);
        return GbnfExpr.IsAtom(expr) ? expr : _b.Add(name, expr);
    }

    private string ExprCore(JsonNode? schema, string name, string path)
    {
        switch (schema)
        {
            case null:
                return JsonPrimitives.Value(_b);
            case JsonValue v when v.GetValueKind() is JsonValueKind.True:
                return JsonPrimitives.Value(_b);
            case JsonValue v when v.GetValueKind() is JsonValueKind.False:
                throw new SchemaConversionException("The schema 'false' matches no value", path);
            case not JsonObject:
                throw new SchemaConversionException("A schema must be an object or a boolean", path);
        }

        var obj = (JsonObject)schema;
        foreach (var (key, _) in obj)
        {
            if (SchemaKeywords.Unsupported.Contains(key))
            {
                throw new SchemaConversionException("The keyword '" + key + "' is not supported in grammar-constrained output", path + "/" + key);
            }
        }

        if (obj.ContainsKey("$ref"))
        {
            var reference = SchemaKeywords.String(obj, "$ref", path)!;
            var siblings = Without(obj, "$ref");
            if (!SchemaKeywords.HasValidation(siblings))
            {
                return RefRule(reference, path);
            }

            return Expr(MergeAll([obj], path), name, path);
        }

        if (obj.ContainsKey("allOf"))
        {
            return Expr(MergeAll([obj], path), name, path);
        }

        foreach (var combinator in new[] { "anyOf", "oneOf" })
        {
            if (obj.TryGetPropertyValue(combinator, out var listNode))
            {
                if (listNode is not JsonArray { Count: > 0 } list)
                {
                    throw new SchemaConversionException("'" + combinator + "' must be a non-empty array", path + "/" + combinator);
                }

                var siblings = Without(obj, combinator);
                var options = new List<string>();
                for (var i = 0; i < list.Count; i++)
                {
                    var branch = list[i];
                    var branchPath = path + "/" + combinator + "/" + i.ToString(CultureInfo.InvariantCulture);
                    var effective = SchemaKeywords.HasValidation(siblings)
                        ? new JsonObject { ["allOf"] = new JsonArray(siblings.DeepClone(), branch?.DeepClone()) }
                        : branch;
                    options.Add(Term(effective, name + "-" + i.ToString(CultureInfo.InvariantCulture), branchPath));
                }

                return GbnfExpr.Alt(options);
            }
        }

        var types = TypesOf(obj, path);

        if (obj.TryGetPropertyValue("const", out var constant))
        {
            return Literal(CheckAgainstTypes(constant, types, path + "/const"));
        }

        if (obj.TryGetPropertyValue("enum", out var enumNode))
        {
            if (enumNode is not JsonArray { Count: > 0 } values)
            {
                throw new SchemaConversionException("'enum' must be a non-empty array", path + "/enum");
            }

            var kept = values.Where(v => types.Count == 0 || types.Any(t => Matches(v, t))).ToList();
            if (kept.Count == 0)
            {
                throw new SchemaConversionException("No 'enum' value has the schema's type", path + "/enum");
            }

            return GbnfExpr.Alt(kept.Select(Literal));
        }

        if (types.Count == 0)
        {
            types = InferTypes(obj);
        }

        if (types.Count == 0)
        {
            return JsonPrimitives.Value(_b);
        }

        return GbnfExpr.Alt(types.Select(t => TypeExpr(obj, t, types.Count == 1 ? name : name + "-" + t, path)));
    }

    private string TypeExpr(JsonObject obj, string type, string name, string path) => type switch
    {
        "object" => Consuming(() => ObjectExpr(obj, name, path)),
        "array" => Consuming(() => ArrayExpr(obj, name, path)),
        "string" => StringExpr(obj, name, path),
        "integer" => IntegerExpr(obj, path),
        "number" => NumberExpr(obj, path),
        "boolean" => JsonPrimitives.Boolean(_b),
        "null" => JsonPrimitives.Null(_b),
        _ => throw new SchemaConversionException("Unknown type '" + type + "'", path + "/type"),
    };

    // ---- objects ---------------------------------------------------------------------------------------------------

    private string ObjectExpr(JsonObject obj, string name, string path)
    {
        var ws = JsonPrimitives.Ws(_b);
        var properties = obj["properties"] as JsonObject;
        if (obj.ContainsKey("properties") && properties is null)
        {
            throw new SchemaConversionException("'properties' must be an object", path + "/properties");
        }

        var required = new List<string>();
        if (obj["required"] is JsonArray req)
        {
            foreach (var r in req)
            {
                if (r is not JsonValue rv || rv.GetValueKind() != JsonValueKind.String)
                {
                    throw new SchemaConversionException("'required' must list property names", path + "/required");
                }

                required.Add(rv.GetValue<string>());
            }
        }
        else if (obj.ContainsKey("required"))
        {
            throw new SchemaConversionException("'required' must be an array", path + "/required");
        }

        var declared = new List<(string Name, JsonNode? Schema, string Path)>();
        if (properties is not null)
        {
            foreach (var (prop, schema) in properties)
            {
                declared.Add((prop, schema, path + "/properties/" + SchemaKeywords.Escape(prop)));
            }
        }

        foreach (var r in required.Where(r => properties is null || !properties.ContainsKey(r)).Distinct())
        {
            // A required name without a declared schema may hold any value.
            declared.Add((r, null, path + "/required"));
        }

        // additionalProperties: absent means "no extras" when a properties list is given, even an empty one (keeps
        // the model on the declared shape, as llama.cpp does; "properties": {} is how tools say "no arguments"), and
        // "anything" for a bare {"type":"object"}.
        obj.TryGetPropertyValue("additionalProperties", out var additional);
        if (additional is null && obj.TryGetPropertyValue("unevaluatedProperties", out var unevaluated))
        {
            additional = unevaluated;
        }

        string? extraValue = additional switch
        {
            null => properties is null && declared.Count == 0 ? JsonPrimitives.Value(_b) : null,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => JsonPrimitives.Value(_b),
            JsonObject => Term(additional, name + "-additional", path + "/additionalProperties"),
            _ => throw new SchemaConversionException("'additionalProperties' must be a boolean or a schema", path + "/additionalProperties"),
        };

        var items = new List<(string Expr, bool Required)>();
        foreach (var (prop, schema, propPath) in declared)
        {
            var value = Term(schema, name + "-" + prop, propPath);
            var kv = GbnfExpr.Seq(GbnfText.Literal(SchemaKeywords.ToJsonString(prop)), "\":\"", ws, value, ws);
            items.Add((kv, required.Contains(prop)));
        }

        string? extra = null;
        if (extraValue is not null)
        {
            var key = declared.Count == 0 ? JsonPrimitives.String(_b) : KeyExclusion.Build(_b, declared.Select(d => d.Name), name + "-additional-key");
            extra = _b.Add(name + "-additional-kv", GbnfExpr.Seq(key, "\":\"", ws, extraValue, ws));
        }

        var separator = GbnfExpr.Seq("\",\"", ws);
        var body = OptionalSequence.Build(_b, items, separator, extra, name);
        return GbnfExpr.Seq("\"{\"", ws, body, "\"}\"");
    }

    // ---- arrays ----------------------------------------------------------------------------------------------------

    private string ArrayExpr(JsonObject obj, string name, string path)
    {
        var ws = JsonPrimitives.Ws(_b);
        var min = SchemaKeywords.Count(obj, "minItems", path) ?? 0;
        var max = SchemaKeywords.Count(obj, "maxItems", path);
        if (max < min)
        {
            throw new SchemaConversionException("'maxItems' is less than 'minItems'", path);
        }

        var prefix = new List<string>();
        JsonNode? rest;
        var restPath = path + "/items";
        obj.TryGetPropertyValue("items", out var items);
        if (obj["prefixItems"] is JsonArray prefixItems)
        {
            for (var i = 0; i < prefixItems.Count; i++)
            {
                prefix.Add(Term(prefixItems[i], name + "-" + i.ToString(CultureInfo.InvariantCulture), path + "/prefixItems/" + i.ToString(CultureInfo.InvariantCulture)));
            }

            rest = items;
        }
        else if (items is JsonArray tuple)
        {
            // Draft 4-7 tuple form: items is the prefix, additionalItems the rest.
            for (var i = 0; i < tuple.Count; i++)
            {
                prefix.Add(Term(tuple[i], name + "-" + i.ToString(CultureInfo.InvariantCulture), path + "/items/" + i.ToString(CultureInfo.InvariantCulture)));
            }

            obj.TryGetPropertyValue("additionalItems", out rest);
            restPath = path + "/additionalItems";
        }
        else
        {
            rest = items;
        }

        var restAllowed = rest is not JsonValue rv || rv.GetValueKind() != JsonValueKind.False;
        string? restItem = restAllowed ? Term(rest is JsonValue ? null : rest, name + "-item", restPath) : null;

        var k = prefix.Count;
        if (!restAllowed)
        {
            if (min > k)
            {
                throw new SchemaConversionException("'minItems' exceeds the number of allowed tuple items", path);
            }

            max = max is null ? k : Math.Min(max.Value, k);
        }

        var separator = GbnfExpr.Seq("\",\"", ws);

        // Items after the prefix.
        var restMin = Math.Max(0, min - k);
        int? restMax = max is null ? null : Math.Max(0, max.Value - k);
        if (restMax > MaxCountedRepetition)
        {
            restMax = null;
        }

        if (restMin > MaxCountedRepetition)
        {
            throw new SchemaConversionException("'minItems' above " + MaxCountedRepetition.ToString(CultureInfo.InvariantCulture) + " is not supported", path);
        }

        string tail;
        var itemWs = restItem is null ? string.Empty : GbnfExpr.Seq(restItem, ws);
        if (restItem is null || restMax == 0)
        {
            tail = string.Empty;
        }
        else if (k == 0)
        {
            var more = GbnfExpr.Repeat(GbnfExpr.Seq(separator, itemWs), Math.Max(0, restMin - 1), restMax is null ? null : restMax - 1);
            var seq = GbnfExpr.Seq(itemWs, more);
            tail = restMin == 0 ? GbnfExpr.Opt(seq) : seq;
        }
        else
        {
            tail = GbnfExpr.Repeat(GbnfExpr.Seq(separator, itemWs), restMin, restMax);
        }

        // The prefix, innermost first: item j is optional when j >= minItems (and then so is everything after it).
        var current = tail;
        for (var j = Math.Min(k, max ?? k) - 1; j >= 0; j--)
        {
            var seq = GbnfExpr.Seq(j == 0 ? string.Empty : separator, prefix[j], ws, current);
            current = j >= min ? GbnfExpr.Opt(seq) : seq;
        }

        return GbnfExpr.Seq("\"[\"", ws, current, "\"]\"");
    }

    // ---- scalars ---------------------------------------------------------------------------------------------------

    private string StringExpr(JsonObject obj, string name, string path)
    {
        var format = SchemaKeywords.String(obj, "format", path);
        var pattern = SchemaKeywords.String(obj, "pattern", path);
        if (pattern is not null)
        {
            // pattern wins over length and format: a grammar cannot intersect two languages in general.
            return _b.Add(name + "-pattern", PatternTranslator.Translate(_b, pattern, path + "/pattern"));
        }

        if (format is not null && StringFormats.IsSupported(format))
        {
            return StringFormats.Rule(_b, format);
        }

        var min = SchemaKeywords.Count(obj, "minLength", path) ?? 0;
        var max = SchemaKeywords.Count(obj, "maxLength", path);
        if (max < min)
        {
            throw new SchemaConversionException("'maxLength' is less than 'minLength'", path);
        }

        if (min == 0 && max is null)
        {
            return JsonPrimitives.String(_b);
        }

        if (min > MaxCountedRepetition)
        {
            throw new SchemaConversionException("'minLength' above " + MaxCountedRepetition.ToString(CultureInfo.InvariantCulture) + " is not supported", path);
        }

        if (max > MaxCountedRepetition)
        {
            max = null;
        }

        return GbnfExpr.Seq("\"\\\"\"", GbnfExpr.Repeat(JsonPrimitives.Char(_b), min, max), "\"\\\"\"");
    }

    private string IntegerExpr(JsonObject obj, string path)
    {
        var (lo, loEx, hi, hiEx) = Bounds(obj, path);
        if (lo is null && hi is null)
        {
            return JsonPrimitives.Integer(_b);
        }

        long? min = lo is { } a ? ClampLong(loEx ? Math.Floor(a) + 1 : Math.Ceiling(a)) : null;
        long? max = hi is { } b ? ClampLong(hiEx ? Math.Ceiling(b) - 1 : Math.Floor(b)) : null;
        if (min > NumericRangeGrammar.Limit || max < -NumericRangeGrammar.Limit)
        {
            throw new SchemaConversionException("Integer bounds beyond 16 digits are not supported", path);
        }

        return NumericRangeGrammar.Integer(min, max)
            ?? throw new SchemaConversionException("The integer range is empty (minimum above maximum)", path);
    }

    private string NumberExpr(JsonObject obj, string path)
    {
        var (lo, loEx, hi, hiEx) = Bounds(obj, path);
        if (lo is null && hi is null)
        {
            return JsonPrimitives.Number(_b);
        }

        if (lo > NumericRangeGrammar.Limit || hi < -NumericRangeGrammar.Limit)
        {
            throw new SchemaConversionException("Number bounds beyond 16 digits are not supported", path);
        }

        return NumericRangeGrammar.Number(lo, loEx, hi, hiEx)
            ?? throw new SchemaConversionException("The number range is empty or too narrow to express without exponents", path);
    }

    private static long ClampLong(decimal v) =>
        v > NumericRangeGrammar.Limit ? NumericRangeGrammar.Limit + 1 : v < -NumericRangeGrammar.Limit ? -NumericRangeGrammar.Limit - 1 : (long)v;

    private static (decimal? Lo, bool LoExclusive, decimal? Hi, bool HiExclusive) Bounds(JsonObject obj, string path)
    {
        var lo = SchemaKeywords.Number(obj, "minimum", path);
        var hi = SchemaKeywords.Number(obj, "maximum", path);
        var loEx = false;
        var hiEx = false;

        // Draft 4 spelled exclusivity as a boolean next to minimum/maximum; later drafts give the bound itself.
        if (obj["exclusiveMinimum"] is JsonValue exMin)
        {
            if (exMin.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                loEx = exMin.GetValue<bool>();
            }
            else if (SchemaKeywords.Number(obj, "exclusiveMinimum", path) is { } x && (lo is null || x >= lo))
            {
                (lo, loEx) = (x, true);
            }
        }

        if (obj["exclusiveMaximum"] is JsonValue exMax)
        {
            if (exMax.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
            {
                hiEx = exMax.GetValue<bool>();
            }
            else if (SchemaKeywords.Number(obj, "exclusiveMaximum", path) is { } x && (hi is null || x <= hi))
            {
                (hi, hiEx) = (x, true);
            }
        }

        if (lo > hi || (lo == hi && (loEx || hiEx)))
        {
            throw new SchemaConversionException("'minimum' is above 'maximum'", path);
        }

        return (lo, loEx, hi, hiEx);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private List<string> TypesOf(JsonObject obj, string path)
    {
        var types = new List<string>();
        switch (obj["type"])
        {
            case null when obj.ContainsKey("type"):
                throw new SchemaConversionException("'type' must be a string or an array of strings", path + "/type");
            case null:
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                types.Add(v.GetValue<string>());
                break;
            case JsonArray arr:
                foreach (var t in arr)
                {
                    if (t is not JsonValue tv || tv.GetValueKind() != JsonValueKind.String)
                    {
                        throw new SchemaConversionException("'type' must be a string or an array of strings", path + "/type");
                    }

                    if (!types.Contains(tv.GetValue<string>()))
                    {
                        types.Add(tv.GetValue<string>());
                    }
                }

                if (types.Count == 0)
                {
                    throw new SchemaConversionException("'type' is an empty array", path + "/type");
                }

                break;
            default:
                throw new SchemaConversionException("'type' must be a string or an array of strings", path + "/type");
        }

        foreach (var t in types)
        {
            if (t is not ("object" or "array" or "string" or "integer" or "number" or "boolean" or "null"))
            {
                throw new SchemaConversionException("Unknown type '" + t + "'", path + "/type");
            }
        }

        // OpenAPI 3.0 spelling of ["T", "null"].
        if (types.Count > 0 && obj["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True && !types.Contains("null"))
        {
            types.Add("null");
        }

        // "integer" is a subset of "number": keep the wider one.
        if (types.Contains("number"))
        {
            types.Remove("integer");
        }

        return types;
    }

    private static List<string> InferTypes(JsonObject obj)
    {
        bool Has(params string[] keys) => keys.Any(obj.ContainsKey);
        var types = new List<string>();
        if (Has("properties", "additionalProperties", "required"))
        {
            types.Add("object");
        }

        if (Has("items", "prefixItems", "minItems", "maxItems", "additionalItems"))
        {
            types.Add("array");
        }

        if (Has("minLength", "maxLength", "pattern", "format"))
        {
            types.Add("string");
        }

        if (Has("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"))
        {
            types.Add("number");
        }

        return types;
    }

    private static bool Matches(JsonNode? value, string type)
    {
        var kind = value?.GetValueKind() ?? JsonValueKind.Null;
        return type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "number" => kind == JsonValueKind.Number,
            "integer" => value is JsonValue v && SchemaKeywords.AsDecimal(v) is { } d && d == Math.Floor(d),
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "null" => kind == JsonValueKind.Null,
            _ => false,
        };
    }

    private static JsonNode? CheckAgainstTypes(JsonNode? value, List<string> types, string path) =>
        types.Count == 0 || types.Any(t => Matches(value, t))
            ? value
            : throw new SchemaConversionException("'const' does not have the schema's type", path);

    private static string Literal(JsonNode? value) => GbnfText.Literal(SchemaKeywords.ToJson(value));

    private static JsonObject Without(JsonObject obj, string key)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k != key)
            {
                copy[k] = v?.DeepClone();
            }
        }

        return copy;
    }

    // Flattens $ref and allOf (recursively) at the top of each part, then merges.
    private JsonObject MergeAll(IEnumerable<JsonObject> parts, string path)
    {
        var flat = new List<JsonObject>();
        var guard = 0;
        void Flatten(JsonNode? node)
        {
            if (++guard > 256)
            {
                throw new SchemaConversionException("allOf/$ref nesting is too deep or cyclic", path);
            }

            switch (node)
            {
                case null:
                    return;
                case JsonValue v when v.GetValueKind() == JsonValueKind.True:
                    return;
                case JsonValue v when v.GetValueKind() == JsonValueKind.False:
                    throw new SchemaConversionException("allOf contains 'false', which matches no value", path);
                case JsonObject o:
                    var rest = o;
                    if (o.TryGetPropertyValue("$ref", out var r))
                    {
                        rest = Without(rest, "$ref");
                        Flatten(Resolve(r?.GetValue<string>() ?? string.Empty, path).Target);
                    }

                    if (rest.TryGetPropertyValue("allOf", out var all))
                    {
                        if (all is not JsonArray list)
                        {
                            throw new SchemaConversionException("'allOf' must be an array", path + "/allOf");
                        }

                        rest = Without(rest, "allOf");
                        foreach (var item in list)
                        {
                            Flatten(item);
                        }
                    }

                    flat.Add(rest);
                    return;
                default:
                    throw new SchemaConversionException("A schema must be an object or a boolean", path);
            }
        }

        foreach (var p in parts)
        {
            Flatten(p);
        }

        return SchemaMerger.Merge(flat, path);
    }

    private string RefRule(string reference, string path)
    {
        if (_leftmost.Contains(reference))
        {
            throw new SchemaConversionException("The schema refers to '" + reference + "' from inside itself before any object, array or string (left recursion): it has no finite instance", path + "/$ref");
        }

        if (_refRules.TryGetValue(reference, out var existing))
        {
            return existing;
        }

        var (target, label) = Resolve(reference, path);
        var name = _b.Reserve(_prefix + "-" + label);
        _refRules[reference] = name;
        _leftmost.Add(reference);
        _b.Define(name, Expr(target, name, reference));
        _leftmost.Remove(reference);
        return name;
    }

    private (JsonNode? Target, string Label) Resolve(string reference, string path)
    {
        if (!reference.StartsWith('#'))
        {
            throw new SchemaConversionException("Only local references ('#/$defs/...', '#/definitions/...') are supported, not '" + reference + "'", path + "/$ref");
        }

        var pointer = Uri.UnescapeDataString(reference[1..]);
        if (pointer.Length == 0)
        {
            return (_document, "root");
        }

        if (!pointer.StartsWith('/'))
        {
            throw new SchemaConversionException("Anchor references such as '" + reference + "' are not supported", path + "/$ref");
        }

        JsonNode? node = _document;
        var label = "ref";
        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            label = segment;
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(segment, out var child) => child,
                JsonArray a when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < a.Count => a[idx],
                _ => throw new SchemaConversionException("The reference '" + reference + "' points nowhere", path + "/$ref"),
            };
        }

        return (node, label);
    }
}
