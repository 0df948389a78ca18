using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.PromptCache;

/// <summary>
/// Reads the OpenAI-shaped messages and tools of a prompt-cache fragment (<c>update</c> and <c>prepare_modules</c>
/// bodies) with the same validation as a chat request, so the engine only ever appends domain messages.
/// </summary>
public sealed class PromptCacheFragmentReader : IPromptCacheFragmentReader
{
    public static PromptCacheFragmentReader Instance { get; } = new();

    private PromptCacheFragmentReader()
    {
    }

    public PromptCacheAppend Read(PromptCacheFragment fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        IReadOnlyList<ChatMessage> messages = fragment.Messages is null ? [] : ChatMessageParser.ParseEach(fragment.Messages, "messages");
        IReadOnlyList<ToolDefinition> tools = fragment.Tools is null ? [] : ToolDefinitionParser.ParseEach(fragment.Tools, "tools");
        return new PromptCacheAppend(fragment.Prompt, messages, fragment.SystemPrompt, tools, fragment.AddGenerationPrompt, fragment.Reasoning);
    }
}
