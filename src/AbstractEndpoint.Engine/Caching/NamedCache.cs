using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// A named prompt cache on the local engine: a llama.cpp KV sequence (its tokens are tracked by the inference loop)
/// and the structured conversation it was rendered from, so a client can send only the new turn.
/// </summary>
public sealed class NamedCache(int sequence)
{
    public int Sequence { get; } = sequence;

    /// <summary>The conversation the cache's tokens were rendered from (system prompt, messages, prompt turns).</summary>
    public IReadOnlyList<ChatMessage> Conversation { get; set; } = [];

    /// <summary>The tools that were offered when it was rendered.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; set; } = [];

    /// <summary>Changed since it was last saved to the cache directory.</summary>
    public bool Dirty { get; set; } = true;

    /// <summary>The key it was saved under, so freeing it also deletes its file.</summary>
    public string? SavedAs { get; set; }
}
