namespace AbstractEndpoint.Core.Chat;

/// <summary>A function call made by the assistant.</summary>
/// <param name="Id">The call id (<c>call_…</c>).</param>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as a JSON text, as OpenAI sends them.</param>
public sealed record ToolCall(string Id, string Name, string ArgumentsJson);
