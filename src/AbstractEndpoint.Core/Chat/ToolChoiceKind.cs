namespace AbstractEndpoint.Core.Chat;

/// <summary>The kinds of <see cref="ToolChoice"/>.</summary>
public enum ToolChoiceKind
{
    /// <summary>The model decides whether to call a tool.</summary>
    Auto,

    /// <summary>No tool is called; the tools stay out of the prompt.</summary>
    None,

    /// <summary>The reply is one or more tool calls.</summary>
    Required,

    /// <summary>The reply is a call of one named function.</summary>
    Function,
}
