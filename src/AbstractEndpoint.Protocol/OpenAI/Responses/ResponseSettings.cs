using System.Text.Json.Nodes;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>
/// The request's parameters as a response object repeats them (<c>instructions</c>, <c>tools</c>, <c>text</c>, …):
/// OpenAI echoes them on every response, and clients read them back from stored responses.
/// </summary>
public sealed record ResponseSettings
{
    public string? Instructions { get; init; }

    public int? MaxOutputTokens { get; init; }

    public float Temperature { get; init; }

    public float TopP { get; init; }

    public bool ParallelToolCalls { get; init; } = true;

    /// <summary><c>"auto"</c>, <c>"none"</c>, <c>"required"</c> or <c>{"type":"function","name":…}</c>.</summary>
    public JsonNode ToolChoice { get; init; } = JsonValue.Create("auto");

    /// <summary>The function tools as the client sent them.</summary>
    public JsonArray Tools { get; init; } = [];

    /// <summary>The <c>text</c> object (<c>{"format":{"type":"text"}}</c> when not given).</summary>
    public JsonObject Text { get; init; } = new() { ["format"] = new JsonObject { ["type"] = "text" } };

    /// <summary>The <c>reasoning.effort</c> the client named, if any.</summary>
    public string? ReasoningEffort { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public bool Store { get; init; } = true;

    public string? PreviousResponseId { get; init; }

    public string? PromptCacheKey { get; init; }
}
