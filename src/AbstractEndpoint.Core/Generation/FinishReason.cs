namespace AbstractEndpoint.Core.Generation;

/// <summary>Why a reply ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-generation token or a stop sequence.</summary>
    Stop,

    /// <summary>The token limit or the end of the context.</summary>
    Length,

    /// <summary>The reply is a set of tool calls.</summary>
    ToolCalls,
}
