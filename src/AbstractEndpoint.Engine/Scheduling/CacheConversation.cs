using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// The structured conversation a named cache's tokens were rendered from (system prompt, messages, prompt turns)
/// and the tools offered then, so a client can send only the new turn. Immutable: the loop replaces it whole.
/// </summary>
public sealed record CacheConversation(IReadOnlyList<ChatMessage> Messages, IReadOnlyList<ToolDefinition> Tools)
{
    public static CacheConversation Empty { get; } = new([], []);

    /// <summary>This conversation followed by the assistant's reply.</summary>
    public CacheConversation WithReply(string reply) =>
        this with { Messages = [.. Messages, new ChatMessage(ChatRole.Assistant, reply)] };
}
