namespace AbstractEndpoint.StructuredOutput;

/// <summary>A complete tool call: <see cref="Arguments"/> is a JSON object text (as the model wrote it, or built from XML-style parameters).</summary>
public sealed record ParsedToolCall(int Index, string Id, string Name, string Arguments);
