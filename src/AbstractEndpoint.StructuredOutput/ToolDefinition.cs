using System.Text.Json.Nodes;

namespace AbstractEndpoint.StructuredOutput;

/// <summary>A function the model may call: its name and the JSON Schema of its arguments (null = any object).</summary>
public sealed record ToolDefinition(string Name, JsonNode? Parameters = null, string? Description = null);
