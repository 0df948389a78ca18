using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// Turns the module objects of a <c>prepare_modules</c> body into <see cref="PromptCacheModule"/>s with the original's
/// exact rules, including the ones that silently drop a module (and so change every later key).
/// </summary>
public static class PromptCacheModuleNormalizer
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "module_id", "system_prompt", "prompt", "messages", "tools", "add_generation_prompt", "scope", "meta",
    };

    /// <summary>The modules that survive normalisation, in order.</summary>
    public static IReadOnlyList<PromptCacheModule> NormalizeAll(IEnumerable<JsonElement> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var kept = new List<PromptCacheModule>();
        foreach (var module in modules)
        {
            if (TryNormalize(module, out var normalized))
            {
                kept.Add(normalized);
            }
        }

        return kept;
    }

    /// <summary>
    /// False when the original would skip the module: it is not an object, lacks <c>module_id</c>, has a field the
    /// dataclass does not know (keyword construction raises), or has a <c>meta</c> that <c>dict()</c> rejects.
    /// </summary>
    public static bool TryNormalize(JsonElement module, [NotNullWhen(true)] out PromptCacheModule? normalized)
    {
        normalized = null;
        if (module.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in PythonDict.Members(module))
        {
            if (!KnownFields.Contains(name))
            {
                return false;
            }

            fields[name] = value;
        }

        if (!fields.TryGetValue("module_id", out var moduleId))
        {
            return false;
        }

        var meta = fields.GetValueOrDefault("meta");
        if (meta.ValueKind != JsonValueKind.Undefined && !PythonDict.AcceptsConversion(meta))
        {
            return false;
        }

        normalized = new PromptCacheModule(
            ModuleIdText(moduleId),
            Text(fields.GetValueOrDefault("system_prompt")),
            Text(fields.GetValueOrDefault("prompt")),
            Objects(fields.GetValueOrDefault("messages")),
            Objects(fields.GetValueOrDefault("tools")),
            PythonTruthiness.IsTruthy(fields.GetValueOrDefault("add_generation_prompt")),
            Scope(fields.GetValueOrDefault("scope")),
            meta.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : meta.Clone());
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
