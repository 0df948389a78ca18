using System.Text.Json;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Reads the OpenAI-shaped messages and tools of a prompt-cache fragment (<c>update</c> and <c>prepare_modules</c>
/// bodies) with the same validation as a chat request.
/// </summary>
public static class OpenAIConversationFragment
{
    public static IReadOnlyList<ChatMessage> Messages(IReadOnlyList<JsonElement>? messages) =>
        messages is null ? [] : ChatMessageParser.ParseEach(messages, "messages");

    public static IReadOnlyList<ToolDefinition> Tools(IReadOnlyList<JsonElement>? tools) =>
        tools is null ? [] : ToolDefinitionParser.ParseEach(tools, "tools");
}
