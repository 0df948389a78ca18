using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Core.Chat;

/// <summary>A chat completion request, protocol-neutral: what every backend consumes.</summary>
public sealed record ChatRequest
{
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The tools the model may call (empty when <see cref="ToolChoice"/> is none: they stay out of the prompt).</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Whether and which tool the reply must call.</summary>
    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;

    /// <summary>Whether one reply may hold several tool calls (OpenAI's <c>parallel_tool_calls</c>).</summary>
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>The shape the reply's content must have (OpenAI's <c>response_format</c>).</summary>
    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Text;

    public SamplingOptions Sampling { get; init; } = new();

    public GenerationLimits Limits { get; init; } = new();

    /// <summary>Extra variables for the chat template (llama-server's <c>chat_template_kwargs</c>).</summary>
    public IReadOnlyDictionary<string, JsonNode?> TemplateVariables { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>
    /// The client's reasoning switch (<c>reasoning_effort</c>, <c>thinking</c>); null keeps the template's default.
    /// Rendered into the template's own variables, under any <see cref="TemplateVariables"/> the client set itself.
    /// </summary>
    public ReasoningControl? Reasoning { get; init; }

    /// <summary>Independent replies to sample from one prompt (OpenAI's <c>n</c>); the prompt is computed once.</summary>
    public int Choices { get; init; } = 1;

    /// <summary>
    /// A raw GBNF grammar the reply must follow (llama-server's <c>grammar</c>, root rule <c>root</c>); null for none.
    /// It cannot be combined with a JSON <see cref="ResponseFormat"/> or a forced tool call.
    /// </summary>
    public string? Grammar { get; init; }

    /// <summary>
    /// Whether the prompt may start from KV cells a slot or named cache already holds (llama-server's
    /// <c>cache_prompt</c>); false recomputes the whole prompt and reports no cached tokens.
    /// </summary>
    public bool ReuseCachedPrompt { get; init; } = true;

    /// <summary>
    /// Who may reuse this request's automatic prefix: a slot last used under another tag is not reused from (its KV
    /// cells are recomputed). Null for everyone; the host sets it to the API key's id when keys are isolated.
    /// </summary>
    public string? IsolationTag { get; init; }

    /// <summary>
    /// A server-managed conversation state (<see cref="Backends.IConversationStates"/>) the generation starts from
    /// and leaves its turn in; never set from a client's request. A named <see cref="PromptCacheKey"/> takes
    /// precedence; a backend without such states ignores it.
    /// </summary>
    public string? ConversationState { get; init; }

    /// <summary>Named prompt cache the request continues, if any.</summary>
    public string? PromptCacheKey { get; init; }

    /// <summary>
    /// The identity the client expects the cache to have (<c>prompt_cache_binding</c>); checked, and resolved into
    /// <see cref="PromptCacheKey"/>, before generation. Never passed to a backend's prompt.
    /// </summary>
    public PromptCacheBinding? PromptCacheBinding { get; init; }

    /// <summary>
    /// OpenAI's <c>prompt_cache_retention</c> (trimmed; null when absent or blank): accepted and recorded. Local caches
    /// follow their TTL (<c>ttl_s</c>, <c>--prompt-cache-ttl</c>) instead.
    /// </summary>
    public string? PromptCacheRetention { get; init; }
}
