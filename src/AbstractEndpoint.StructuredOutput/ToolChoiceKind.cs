namespace AbstractEndpoint.StructuredOutput;

/// <summary>The kinds of <see cref="ToolChoice"/>.</summary>
public enum ToolChoiceKind
{
    None,
    Auto,
    Required,
    Function,
}
