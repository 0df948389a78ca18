namespace AbstractEndpoint.Core.Generation;

/// <summary>When generation ends, besides an end-of-generation token.</summary>
public sealed record GenerationLimits
{
    /// <summary>Null means "until the context is full".</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Strings that end the reply; they are never part of the output.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>
    /// End-of-generation tokens are banned (llama-server's <c>ignore_eos</c>): the reply runs to
    /// <see cref="MaxOutputTokens"/>, a stop sequence, or the context's end.
    /// </summary>
    public bool IgnoreEndOfGeneration { get; init; }

    /// <summary>
    /// Reasoning tokens allowed before the reasoning block is closed (Anthropic's <c>thinking.budget_tokens</c>):
    /// when the model's format delimits reasoning with tags (e.g. <c>&lt;think&gt;</c>), the closing tag is forced into
    /// the output at the budget and the answer follows. Null for no cap; formats without such tags ignore it.
    /// </summary>
    public int? MaxReasoningTokens { get; init; }
}
