namespace AbstractEndpoint.StructuredOutput;

/// <summary>
/// Something the streaming parser learned from the model's output. Concatenating every delta of one kind gives the
/// final value of that kind; <see cref="OutputCompleted"/> carries those final values.
/// </summary>
public abstract record OutputEvent;

/// <summary>Visible answer text.</summary>
public sealed record ContentDelta(string Text) : OutputEvent;

/// <summary>Reasoning text (only with <see cref="ReasoningFormat.Extract"/>).</summary>
public sealed record ReasoningDelta(string Text) : OutputEvent;

/// <summary>A tool call begins: its index (0-based, in order), the generated id (<c>call_…</c>) and the function name.</summary>
public sealed record ToolCallStarted(int Index, string Id, string Name) : OutputEvent;

/// <summary>The next piece of a call's arguments JSON text; the pieces of one call concatenate to its final arguments.</summary>
public sealed record ToolCallArgumentsDelta(int Index, string Fragment) : OutputEvent;

/// <summary>
/// A call that had started could not be completed (the output ended inside it, or its arguments are not a JSON
/// object). It is left out of <see cref="OutputCompleted.ToolCalls"/>; its text is not turned into content.
/// </summary>
public sealed record ToolCallFailed(int Index, string Reason) : OutputEvent;

/// <summary>The end of the output: the complete content, reasoning and successfully parsed calls.</summary>
public sealed record OutputCompleted(string Content, string Reasoning, IReadOnlyList<ParsedToolCall> ToolCalls) : OutputEvent;
