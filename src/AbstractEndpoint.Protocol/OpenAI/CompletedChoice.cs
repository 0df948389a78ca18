using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>One finished choice of a non-streaming response.</summary>
public sealed record CompletedChoice(int Index, string Content, FinishReason Reason);
