using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.PromptCaching.Control;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// The loaded model as the routes see it: one aggregate of narrow capabilities. A backend that lacks one leaves it
/// null (a remote provider may not render prompts or hold named caches), and the route answers as it documents.
/// </summary>
/// <param name="Chat">Generates chat replies (<c>/v1/chat/completions</c>).</param>
/// <param name="Renderer">Shows the prompt a request would get (<c>/apply-template</c>).</param>
/// <param name="PromptCaches">Controls named caches (<c>/acore/prompt_cache/*</c>).</param>
/// <param name="Status">Reports slots and queue (<c>/slots</c>).</param>
/// <param name="Tokenizer">Tokenizes and detokenizes (<c>/tokenize</c>, <c>/detokenize</c>).</param>
/// <param name="TokenCounter">Counts a chat request's prompt tokens (<c>/v1/chat/completions/input_tokens</c>).</param>
/// <param name="Properties">The model's facts (<c>/props</c>, <c>meta</c> of <c>/v1/models</c>).</param>
public sealed record LoadedModel(
    IChatBackend Chat,
    IPromptRenderer? Renderer,
    IPromptCacheControl? PromptCaches,
    IBackendStatus? Status,
    ITokenizer? Tokenizer = null,
    IChatTokenCounter? TokenCounter = null,
    ModelProperties? Properties = null)
{
    /// <summary>Completes raw prompts (<c>/v1/completions</c>); null on a remote provider without them (Anthropic).</summary>
    public ITextCompletionBackend? Completions { get; init; }

    /// <summary>
    /// Keeps stored responses' conversation states (their KV cells) so a continuation prefills only its new turn;
    /// null on a remote provider or with <c>--responses-kv-states 0</c>.
    /// </summary>
    public IConversationStates? ConversationStates { get; init; }

    /// <summary>Embeds inputs (<c>/v1/embeddings</c>); null on a remote provider without them (Anthropic).</summary>
    public IEmbeddingBackend? Embeddings { get; init; }
}
