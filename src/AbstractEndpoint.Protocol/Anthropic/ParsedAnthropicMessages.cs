using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>A validated <c>/v1/messages</c> body: the domain request plus how to answer it.</summary>
/// <param name="Request">What the backend runs.</param>
/// <param name="Model">The model name the client asked for (checked by the host).</param>
/// <param name="Stream">Answer as Anthropic's server-sent events.</param>
public sealed record ParsedAnthropicMessages(ChatRequest Request, string Model, bool Stream)
{
    /// <summary>Fields accepted without effect (lenient mode), in body order, for the host's debug log.</summary>
    public IReadOnlyList<IgnoredField> Ignored { get; init; } = [];
}
