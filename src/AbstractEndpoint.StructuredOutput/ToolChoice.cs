namespace AbstractEndpoint.StructuredOutput;

/// <summary>OpenAI's <c>tool_choice</c>: none, auto, required, or one named function.</summary>
public sealed record ToolChoice
{
    private ToolChoice(ToolChoiceKind kind, string? functionName)
    {
        Kind = kind;
        FunctionName = functionName;
    }

    public static ToolChoice None { get; } = new(ToolChoiceKind.None, null);

    public static ToolChoice Auto { get; } = new(ToolChoiceKind.Auto, null);

    public static ToolChoice Required { get; } = new(ToolChoiceKind.Required, null);

    public ToolChoiceKind Kind { get; }

    /// <summary>The forced function for <see cref="ToolChoiceKind.Function"/>, else null.</summary>
    public string? FunctionName { get; }

    public static ToolChoice Function(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ToolChoice(ToolChoiceKind.Function, name);
    }
}
