using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Core.Completion;

/// <summary>
/// A plain text completion (OpenAI's legacy <c>/v1/completions</c> for one prompt), protocol-neutral: the prompt
/// goes to the model as it is, with no chat template, and the reply is plain text (no tool-call or reasoning parsing).
/// </summary>
public sealed record TextCompletionRequest
{
    public required TextPrompt Prompt { get; init; }

    /// <summary>
    /// Text that comes after the completion (fill-in-the-middle): the prompt becomes the model's FIM prefix and this
    /// its suffix; null for a plain continuation.
    /// </summary>
    public string? Suffix { get; init; }

    /// <summary>Sampling, including a raw grammar (<see cref="SamplingOptions.Grammar"/>) the reply must follow.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    public GenerationLimits Limits { get; init; } = new();

    /// <summary>Independent completions of the prompt, sharing its computed KV cells.</summary>
    public int Choices { get; init; } = 1;

    /// <summary>Whether the prompt may start from KV cells a slot already holds (llama-server's <c>cache_prompt</c>).</summary>
    public bool ReuseCachedPrompt { get; init; } = true;

    /// <summary>
    /// Who may reuse the KV cells this prompt leaves in its slot, as <see cref="Chat.ChatRequest.IsolationTag"/>: a
    /// slot's cached prefix is reused only by a request with the same tag (per-API-key isolation); null shares.
    /// </summary>
    public string? IsolationTag { get; init; }
}
