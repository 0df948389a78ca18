namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// A whole parsed output: the complete content, reasoning and successfully parsed calls (each the concatenation of
/// the updates of its kind that streamed).
/// </summary>
public sealed record ParsedOutput(string Content, string Reasoning, IReadOnlyList<ParsedToolCall> ToolCalls);
