namespace AbstractEndpoint.Core.Generation;

/// <summary>Token accounting for one request.</summary>
/// <param name="PromptTokens">Tokens of the rendered prompt.</param>
/// <param name="CompletionTokens">Tokens generated (a stop sequence's tokens included, as they were computed).</param>
/// <param name="CachedTokens">Prompt tokens whose KV cells were reused rather than computed.</param>
public sealed record Usage(int PromptTokens, int CompletionTokens, int CachedTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
