using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// A <see cref="PromptCacheFragment"/> with its messages and tools read into domain types: what a backend appends.
/// The backend decides how it is rendered (with <paramref name="Reasoning"/> through the same template switches as
/// a chat request's <c>thinking</c>); it never sees the wire format.
/// </summary>
public sealed record PromptCacheAppend(
    string Prompt,
    IReadOnlyList<ChatMessage> Messages,
    string? SystemPrompt,
    IReadOnlyList<ToolDefinition> Tools,
    bool AddGenerationPrompt,
    ReasoningControl? Reasoning = null);
