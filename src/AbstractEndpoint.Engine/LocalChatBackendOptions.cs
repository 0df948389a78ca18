using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Engine;

/// <summary>How <see cref="LocalChatBackend"/> reads the model's output.</summary>
public sealed record LocalChatBackendOptions
{
    /// <summary>
    /// What happens to reasoning ("thinking") text: <see cref="ReasoningFormat.Extract"/> streams it as
    /// <c>reasoning_content</c> (llama-server's <c>--reasoning-format deepseek</c>/<c>auto</c>);
    /// <see cref="ReasoningFormat.None"/> leaves it in the content.
    /// </summary>
    public ReasoningFormat ReasoningFormat { get; init; } = ReasoningFormat.Extract;

    /// <summary>
    /// The source of the chat template in use when it overrides the model's (<c>--chat-template</c> inline Jinja or
    /// <c>--chat-template-file</c>); the tool-call markup is detected from it. Null means the model's own template.
    /// </summary>
    public string? ChatTemplateSource { get; init; }
}
