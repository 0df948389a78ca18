using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>One finished choice of a non-streaming response.</summary>
public sealed record CompletedChoice(int Index, string Content, FinishReason Reason)
{
    /// <summary>The calls the reply makes, in order; when there are some and no content, <c>content</c> is null.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>The reply's reasoning (<c>reasoning_content</c>); empty when the model did not reason or it was not extracted.</summary>
    public string Reasoning { get; init; } = "";

    /// <summary>Every token's log probability entry, in order; null when the request did not ask for them.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
}
