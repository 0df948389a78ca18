using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>A validated <c>/v1/chat/completions</c> body: the domain request plus how to answer it.</summary>
/// <param name="Request">What the backend runs.</param>
/// <param name="Model">The model name the client asked for (checked by the host).</param>
/// <param name="Stream">Answer as server-sent events.</param>
/// <param name="IncludeUsage">Send a usage chunk before <c>[DONE]</c> (<c>stream_options.include_usage</c>).</param>
public sealed record ParsedChatCompletion(ChatRequest Request, string Model, bool Stream, bool IncludeUsage)
{
    /// <summary>
    /// Fields accepted without effect (unknown names, features this server does not have), in body order. The
    /// parser is pure: the host logs them.
    /// </summary>
    public IReadOnlyList<IgnoredField> Ignored { get; init; } = [];
}
