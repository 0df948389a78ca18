using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Core.Backends;

/// <summary>Counts the prompt tokens a chat request would cost, tools included, without running it.</summary>
public interface IChatTokenCounter
{
    /// <summary>The number of tokens of the prompt the model would be given for <paramref name="request"/>.</summary>
    int CountPromptTokens(ChatRequest request);
}
