using System.Text.Json;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// Prompt context to prefill into a cache: what <c>update</c> sends and what each prepared module contributes
/// (the arguments of the original's <c>_prompt_cache_backend_append</c>), with the request's <c>thinking</c> as the
/// reasoning control it is rendered with. How it is rendered is the engine's choice.
/// </summary>
public sealed record PromptCacheFragment(
    string Prompt,
    IReadOnlyList<JsonElement>? Messages = null,
    string? SystemPrompt = null,
    IReadOnlyList<JsonElement>? Tools = null,
    bool AddGenerationPrompt = false,
    ReasoningControl? Reasoning = null);
