using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Prompting.Templates;

/// <summary>Everything a chat template may read, as Hugging Face's <c>apply_chat_template</c> passes it.</summary>
public sealed record ChatTemplateInput
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Whether to open the assistant's turn at the end.</summary>
    public bool AddGenerationPrompt { get; init; } = true;

    public string BosToken { get; init; } = "";

    public string EosToken { get; init; } = "";

    /// <summary>Extra variables (<c>chat_template_kwargs</c>, e.g. <c>enable_thinking</c>).</summary>
    public IReadOnlyDictionary<string, JsonNode?> Variables { get; init; } = new Dictionary<string, JsonNode?>();
}
