namespace AbstractEndpoint.Core.Chat;

/// <summary>One turn of a conversation, protocol-neutral.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">The text (parts already joined); null when an assistant turn only calls tools.</param>
public sealed record ChatMessage(ChatRole Role, string? Content)
{
    /// <summary>Tool calls an assistant turn made (history sent back by the client).</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a tool result: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Optional participant or tool name.</summary>
    public string? Name { get; init; }

    /// <summary>Reasoning an assistant turn produced, for templates that replay it.</summary>
    public string? ReasoningContent { get; init; }
}
