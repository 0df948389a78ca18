using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine;

/// <summary>
/// Counts a chat request's prompt exactly as <see cref="LocalChatBackend"/> builds it: the template's rendering
/// (tools included), tokenized with the same BOS rule.
/// </summary>
public sealed class LocalChatTokenCounter(IPromptRenderer renderer, IVocabulary vocabulary) : IChatTokenCounter
{
    public int CountPromptTokens(ChatRequest request) =>
        PromptTokenizer.Tokenize(vocabulary, renderer.RenderPrompt(request)).Length;
}
