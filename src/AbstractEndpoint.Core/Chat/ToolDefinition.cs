using System.Text.Json.Nodes;

namespace AbstractEndpoint.Core.Chat;

/// <summary>A function the model may call, with its JSON-Schema parameters.</summary>
public sealed record ToolDefinition(string Name, string? Description, JsonObject? Parameters)
{
    /// <summary>The tool exactly as the client sent it (<c>{"type":"function","function":{…}}</c>), for templates.</summary>
    public required JsonObject Raw { get; init; }
}
