using System.Text.Json;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// POST /acore/prompt_cache/update: <c>key</c> (required), <c>prompt</c>, <c>messages</c> and <c>tools</c> (lists of
/// objects), <c>system_prompt</c>, <c>thinking</c>, <c>add_generation_prompt</c> (false), <c>ttl_s</c> (omitted: the
/// key keeps its own). Texts are passed on as sent
/// (the original trims only module texts). <see cref="Reader"/> reads the messages and tools when they are appended.
/// </summary>
public sealed record PromptCacheUpdateRequest(string Key)
{
    public string? Prompt { get; init; }

    public IReadOnlyList<JsonElement>? Messages { get; init; }

    public string? SystemPrompt { get; init; }

    public IReadOnlyList<JsonElement>? Tools { get; init; }

    public bool AddGenerationPrompt { get; init; }

    public double? TtlSeconds { get; init; }

    /// <summary>The fragment's reasoning control (<c>thinking</c>), as chat reads it; null keeps the template's default.</summary>
    public ReasoningControl? Reasoning { get; init; }

    /// <summary>The wire format's reading of <see cref="Messages"/> and <see cref="Tools"/>.</summary>
    public required IPromptCacheFragmentReader Reader { get; init; }

    /// <summary>What to append: the original passes <c>prompt or ""</c> and the rest unchanged.</summary>
    public PromptCacheFragment ToFragment() => new(Prompt ?? "", Messages, SystemPrompt, Tools, AddGenerationPrompt, Reasoning);
}
