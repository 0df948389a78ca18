using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Core.Chat;

/// <summary>A chat completion request, protocol-neutral: what every backend consumes.</summary>
public sealed record ChatRequest
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    public SamplingOptions Sampling { get; init; } = new();

    public GenerationLimits Limits { get; init; } = new();

    /// <summary>Extra variables for the chat template (llama-server's <c>chat_template_kwargs</c>).</summary>
    public IReadOnlyDictionary<string, JsonNode?> TemplateVariables { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Independent replies to sample from one prompt (OpenAI's <c>n</c>); the prompt is computed once.</summary>
    public int Choices { get; init; } = 1;

    /// <summary>Named prompt cache the request continues, if any.</summary>
    public string? PromptCacheKey { get; init; }
}
