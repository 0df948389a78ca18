namespace AbstractEndpoint.Providers;

/// <summary>Which API a remote provider's chat is spoken in.</summary>
public enum RemoteApi
{
    /// <summary>OpenAI's <c>POST /chat/completions</c>.</summary>
    OpenAIChat,

    /// <summary>Anthropic's <c>POST /messages</c>.</summary>
    AnthropicMessages,
}
