using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// Turns the module objects of a <c>prepare_modules</c> body into <see cref="PromptCacheModule"/>s with the newest
/// contract's exact rules (docs/prompt-cache.md): a module the original's constructor would refuse fails the whole
/// call (<see cref="PromptCacheErrorCodes.InvalidModule"/>) instead of being skipped, and messages keep only
/// <c>role</c> (trimmed, lowercased), <c>content</c> and the four tool-call extras.
/// </summary>
public static class PromptCacheModuleNormalizer
{
    // A message is copied from a body the request parser accepted, as deep as it allowed (up to 512 on the control
    // plane's routes): reading the copy back with the default limit of 64 would fail on an accepted body (a 500).
    private static readonly JsonDocumentOptions CopyOptions = new() { MaxDepth = 512 };

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "module_id", "system_prompt", "prompt", "messages", "tools", "add_generation_prompt", "scope", "meta",
    };

    /// <summary>The message members hashed besides role and content, only when present.</summary>
    private static readonly string[] MessageExtras = ["name", "tool_call_id", "tool_calls", "function_call"];

    /// <summary>Every module, normalised, in order.</summary>
    /// <exception cref="PromptCacheOperationException">
    /// <see cref="PromptCacheErrorCodes.InvalidModule"/> naming the first invalid module's index and why.
    /// </exception>
    public static IReadOnlyList<PromptCacheModule> NormalizeAll(IEnumerable<JsonElement> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var kept = new List<PromptCacheModule>();
        var index = 0;
        foreach (var module in modules)
        {
            if (!TryNormalize(module, out var normalized, out var reason))
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.InvalidModule, $"Invalid prompt cache module at index {index}: {reason}");
            }

            kept.Add(normalized);
            index++;
        }

        return kept;
    }

    /// <summary>
    /// False, with the reason, when the original would refuse the module: it is not an object, has a field the
    /// dataclass does not know (keyword construction raises; the first one in the order sent is named), lacks
    /// <c>module_id</c> or has a blank one, or has a <c>meta</c> that <c>dict()</c> rejects.
    /// </summary>
    public static bool TryNormalize(
        JsonElement module, [NotNullWhen(true)] out PromptCacheModule? normalized, [NotNullWhen(false)] out string? reason)
    {
        normalized = null;
        if (module.ValueKind != JsonValueKind.Object)
        {
            reason = "not an object";
            return false;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in PythonDict.Members(module))
        {
            if (!KnownFields.Contains(name))
            {
                reason = $"unknown field '{name}'";
                return false;
            }

            fields[name] = value;
        }

        if (!fields.TryGetValue("module_id", out var moduleId))
        {
            reason = "module_id is required";
            return false;
        }

        var meta = fields.GetValueOrDefault("meta");
        if (meta.ValueKind != JsonValueKind.Undefined && !PythonDict.AcceptsConversion(meta))
        {
            reason = "meta must be a mapping";
            return false;
        }

        var id = ModuleIdText(moduleId);
        if (id.Length == 0)
        {
            reason = "module_id must not be blank";
            return false;
        }

        normalized = new PromptCacheModule(
            id,
            Text(fields.GetValueOrDefault("system_prompt")),
            Text(fields.GetValueOrDefault("prompt")),
            Messages(fields.GetValueOrDefault("messages")),
            Objects(fields.GetValueOrDefault("tools")),
            PythonTruthiness.IsTruthy(fields.GetValueOrDefault("add_generation_prompt")),
            Scope(fields.GetValueOrDefault("scope")),
            meta.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : meta.Clone());
        reason = null;
        return true;
    }

    /// <summary><c>str(module_id or "").strip()</c>: falsy ids become "", anything else prints as Python would.</summary>
    private static string ModuleIdText(JsonElement value) =>
        PythonTruthiness.IsTruthy(value) ? PythonWhitespace.Strip(JsonValueRepr.Str(value)) : "";

    /// <summary>
    /// Only strings count. The original trims a non-empty string (a blank one becomes ""), and its fingerprint
    /// normalises a second time, turning that "" into None; so for hashing, blank and absent are the same: null.
    /// </summary>
    private static string? Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var stripped = PythonWhitespace.Strip(value.GetString()!);
        return stripped.Length == 0 ? null : stripped;
    }

    /// <summary>A list keeps its object items (others are dropped); no list, an empty one, or no objects → null.</summary>
    private static List<JsonElement>? Objects(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var kept = new List<JsonElement>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                kept.Add(item.Clone());
            }
        }

        return kept.Count == 0 ? null : kept;
    }

    /// <summary>
    /// The newest rule: objects with a non-empty <c>str(role or "").strip().lower()</c> are kept as
    /// <c>{"role", "content" (verbatim, null when absent)}</c> plus <c>name</c>, <c>tool_call_id</c>,
    /// <c>tool_calls</c> and <c>function_call</c> when present; every other member is dropped. None kept → null.
    /// </summary>
    private static List<JsonElement>? Messages(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var kept = new List<JsonElement>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var members = PythonDict.Members(item).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            var role = members.TryGetValue("role", out var roleValue) && PythonTruthiness.IsTruthy(roleValue)
                ? PythonWhitespace.Strip(JsonValueRepr.Str(roleValue)).ToLowerInvariant()
                : "";
            if (role.Length == 0)
            {
                continue;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("role", role);
                writer.WritePropertyName("content");
                if (members.TryGetValue("content", out var content))
                {
                    content.WriteTo(writer); // Raw: numbers keep the text Python's json.loads saw.
                }
                else
                {
                    writer.WriteNullValue();
                }

                foreach (var extra in MessageExtras)
                {
                    if (members.TryGetValue(extra, out var extraValue))
                    {
                        writer.WritePropertyName(extra);
                        extraValue.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory, CopyOptions);
            kept.Add(document.RootElement.Clone());
        }

        return kept.Count == 0 ? null : kept;
    }

    /// <summary>
    /// <c>str(scope or "private").strip().lower()</c>, then anything but "private"/"shared" is "private". Only a string
    /// can spell "shared", and no non-ASCII character lowercases (in Python) to one of its letters, so an ASCII
    /// case-insensitive comparison of the stripped text is exact. (Not OrdinalIgnoreCase: it folds "ſ" to "S".)
    /// </summary>
    private static PromptCacheScope Scope(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && Ascii.EqualsIgnoreCase(PythonWhitespace.Strip(value.GetString()!), "shared")
            ? PromptCacheScope.Shared
            : PromptCacheScope.Private;
}
