namespace AbstractEndpoint.Core.Chat;

/// <summary>OpenAI's <c>tool_choice</c>: whether and which tool the reply must call.</summary>
public sealed record ToolChoice
{
    private ToolChoice(ToolChoiceKind kind, string? functionName)
    {
        Kind = kind;
        FunctionName = functionName;
    }

    public static ToolChoice Auto { get; } = new(ToolChoiceKind.Auto, null);

    public static ToolChoice None { get; } = new(ToolChoiceKind.None, null);

    public static ToolChoice Required { get; } = new(ToolChoiceKind.Required, null);

    public ToolChoiceKind Kind { get; }

    /// <summary>The function a <see cref="ToolChoiceKind.Function"/> choice forces; null otherwise.</summary>
    public string? FunctionName { get; }

    /// <summary>Forces a call of the function named <paramref name="name"/>.</summary>
    public static ToolChoice Function(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ToolChoice(ToolChoiceKind.Function, name);
    }
}
