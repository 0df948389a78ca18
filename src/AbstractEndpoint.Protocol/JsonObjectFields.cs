using System.Text.Json;
using AbstractEndpoint.Core.Errors;

namespace AbstractEndpoint.Protocol;

/// <summary>
/// The members of a JSON object body read by name, with <see cref="JsonFields"/>' checks. Matches the prompt-cache
/// original's pydantic models where it matters to clients (unknown fields ignored, a repeated field's last value
/// wins, ints accepted for floats, integral floats for ints) and is otherwise strict: no "yes"/"1" strings for
/// booleans or numeric strings for numbers, which pydantic's lax mode took. A null optional field counts as absent.
/// Under <c>--strict-requests</c> a top-level member that no read asked for is refused, as chat's unknown fields are.
/// The bytes are checked by <see cref="JsonRequestBody"/> first: text that is not Unicode is a 400 naming its position.
/// </summary>
internal sealed class JsonObjectFields
{
    // Deep enough for any realistic message list; System.Text.Json's default of 64 is not (Python allows ~1000).
    private const int MaxDepth = 512;

    private readonly Dictionary<string, JsonElement> _fields;

    // The names the map asked for, known or not present: what strict mode does not refuse.
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    private JsonObjectFields(Dictionary<string, JsonElement> fields) => _fields = fields;

    /// <summary>
    /// Parses the bytes and maps them; everything the result keeps must be cloned by the reads below. When
    /// <c>strict</c> (<c>--strict-requests</c>), members the map does not read are refused; by default they are ignored.
    /// </summary>
    public static T Read<T>(ReadOnlyMemory<byte> utf8Body, Func<JsonObjectFields, T> map, bool strict = false)
    {
        using var document = JsonRequestBody.Parse(utf8Body, MaxDepth, nameTheField: true);
        return Map(document.RootElement, map, strict);
    }

    /// <summary>Maps a parsed object; under <paramref name="strict"/>, a member the map did not read is a 400.</summary>
    public static T Map<T>(JsonElement root, Func<JsonObjectFields, T> map, bool strict = false)
    {
        var fields = Of(root);
        var result = map(fields);
        if (strict && fields._fields.Keys.FirstOrDefault(name => !fields._asked.Contains(name)) is { } unknown)
        {
            throw new InvalidRequestException($"Unrecognized request argument supplied: {unknown}", unknown, "unknown_parameter");
        }

        return result;
    }

    public static JsonObjectFields Of(JsonElement root)
    {
        JsonFields.RequireKind(root, JsonValueKind.Object, "body", "a JSON object");
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            // Python's json.loads keeps the last of repeated names; a name we cannot read is not one we know.
            if (JsonFields.TryReadName(property, out var name))
            {
                fields[name] = property.Value;
            }
        }

        return new JsonObjectFields(fields);
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw JsonFields.Missing(name);

    public string? OptionalString(string name) =>
        TryGet(name, out var value) ? JsonFields.ReadableString(value, name) : null;

    public bool Boolean(string name, bool defaultValue) =>
        TryGet(name, out var value) ? JsonFields.Boolean(value, name) : defaultValue;

    /// <summary>Any JSON number; an exponent beyond double's range reads as infinity, as Python's float() does.</summary>
    public double? OptionalNumber(string name) =>
        TryGet(name, out var value) ? JsonFields.PythonNumber(value, name) : null;

    public long Integer(string name, long defaultValue) =>
        TryGet(name, out var value) ? JsonFields.PythonInteger(value, name) : defaultValue;

    public IReadOnlyList<JsonElement> RequiredObjects(string name) =>
        OptionalObjects(name) ?? throw JsonFields.Missing(name);

    /// <summary>A list whose every item is an object, cloned.</summary>
    public IReadOnlyList<JsonElement>? OptionalObjects(string name) =>
        TryGet(name, out var value) ? JsonFields.ObjectList(value, name) : null;

    /// <summary>Any non-null value, for a field whose reading is the caller's (e.g. one of several types).</summary>
    public JsonElement? OptionalValue(string name) =>
        TryGet(name, out var value) ? value.Clone() : null;

    private bool TryGet(string name, out JsonElement value)
    {
        _asked.Add(name);
        return _fields.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null;
    }
}
