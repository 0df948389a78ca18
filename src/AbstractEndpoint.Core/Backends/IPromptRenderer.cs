using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Core.Backends;

/// <summary>A backend that builds its prompt locally and can show it (<c>POST /apply-template</c>).</summary>
public interface IPromptRenderer
{
    /// <summary>The prompt text the model would receive for this request.</summary>
    string RenderPrompt(ChatRequest request);
}
