namespace AbstractEndpoint.Core.Errors;

/// <summary>The prompt plus the requested output does not fit the context window.</summary>
public sealed class ContextOverflowException(int promptTokens, long requestedTokens, int contextSize)
    : InvalidRequestException(
        $"This model's maximum context length is {contextSize} tokens. However, you requested " +
        $"{promptTokens + requestedTokens} tokens ({promptTokens} in the messages, {requestedTokens} in the completion). " +
        "Please reduce the length of the messages or completion.",
        "messages",
        "context_length_exceeded");
