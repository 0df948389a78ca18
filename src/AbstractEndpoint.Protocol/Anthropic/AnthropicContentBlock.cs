using System.Text;

namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>One content block of a reply as it is assembled: its kind, its text (or input JSON), and a call's id and name.</summary>
public sealed class AnthropicContentBlock(AnthropicContentBlockKind kind, string? id = null, string? name = null)
{
    public AnthropicContentBlockKind Kind { get; } = kind;

    public string? Id { get; } = id;

    public string? Name { get; } = name;

    /// <summary>The text, the thinking, or a tool call's arguments JSON.</summary>
    public StringBuilder Text { get; } = new();

    /// <summary>A tool call the output ended inside (<c>ToolCallFailed</c>): left out of the reply.</summary>
    public bool Failed { get; set; }
}
