using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Tests.Support;

/// <summary>
/// Reads fragments without a wire format's validation (key-derivation vectors hold any objects): every message is a
/// user turn with its <c>content</c> string (else its JSON), every tool is named by its <c>function.name</c> (else "").
/// Enough to see what the manager hands the backend.
/// </summary>
internal sealed class StubFragmentReader : IPromptCacheFragmentReader
{
    /// <summary>How many fragments were read: the manager reads only what it appends.</summary>
    public int Reads { get; private set; }

    public PromptCacheAppend Read(PromptCacheFragment fragment)
    {
        Reads++;
        IReadOnlyList<ChatMessage> messages =
            [.. (fragment.Messages ?? []).Select(m => new ChatMessage(ChatRole.User, Text(m, "content") ?? m.GetRawText()))];
        IReadOnlyList<ToolDefinition> tools = [.. (fragment.Tools ?? []).Select(Tool)];
        return new PromptCacheAppend(fragment.Prompt, messages, fragment.SystemPrompt, tools, fragment.AddGenerationPrompt, fragment.Reasoning);
    }

    private static ToolDefinition Tool(JsonElement tool) =>
        new(tool.TryGetProperty("function", out var function) ? Text(function, "name") ?? "" : "", null, null)
        {
            Raw = JsonNode.Parse(tool.GetRawText())!.AsObject(),
        };

    private static string? Text(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;
}
