namespace AbstractEndpoint.Protocol.Anthropic;

/// <summary>The kinds of content block a reply holds.</summary>
public enum AnthropicContentBlockKind
{
    Thinking,
    Text,
    ToolUse,
}
