using System.Text.Json;

namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// One cacheable block of prompt context, already normalised the way the original's
/// <c>PromptCacheModule.normalized()</c> leaves it: texts trimmed (blank ones null), non-object list items dropped,
/// empty lists null. Instances come only from <see cref="PromptCacheModuleNormalizer"/>, so every module's hash is
/// the original's.
/// </summary>
public sealed class PromptCacheModule
{
    internal PromptCacheModule(
        string moduleId,
        string? systemPrompt,
        string? prompt,
        IReadOnlyList<JsonElement>? messages,
        IReadOnlyList<JsonElement>? tools,
        bool addGenerationPrompt,
        PromptCacheScope scope,
        JsonElement? meta)
    {
        ModuleId = moduleId;
        SystemPrompt = systemPrompt;
        Prompt = prompt;
        Messages = messages;
        Tools = tools;
        AddGenerationPrompt = addGenerationPrompt;
        Scope = scope;
        Meta = meta;
    }

    /// <summary>The id as Python's <c>str(module_id or "").strip()</c> prints it; may be empty.</summary>
    public string ModuleId { get; }

    public string? SystemPrompt { get; }

    public string? Prompt { get; }

    /// <summary>Message objects, as sent (not validated further); null when none.</summary>
    public IReadOnlyList<JsonElement>? Messages { get; }

    /// <summary>Tool definition objects, as sent; null when none.</summary>
    public IReadOnlyList<JsonElement>? Tools { get; }

    public bool AddGenerationPrompt { get; }

    public PromptCacheScope Scope { get; }

    /// <summary>The caller's free-form <c>meta</c>, if any. Never hashed.</summary>
    public JsonElement? Meta { get; }
}
