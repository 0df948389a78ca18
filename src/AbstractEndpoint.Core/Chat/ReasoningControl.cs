namespace AbstractEndpoint.Core.Chat;

/// <summary>
/// What the client asked of the model's reasoning ("thinking"): off, on, or on at an effort level. One type for
/// OpenAI's <c>reasoning_effort</c> and AbstractCore's <c>thinking</c>, so every route (chat, prompt caches) reads
/// them the same way; null on a request means "the template's default".
/// </summary>
/// <param name="Enabled">Whether the model should reason at all.</param>
/// <param name="Effort">How hard, when the client named a level.</param>
public sealed record ReasoningControl(bool Enabled, ReasoningEffort? Effort = null)
{
    public static ReasoningControl Off { get; } = new(false);

    public static ReasoningControl On { get; } = new(true);

    /// <summary>The values <see cref="TryParseThinking(string, out ReasoningControl?)"/> accepts, for error messages.</summary>
    public const string ThinkingValues =
        "true, false, 'auto', 'on', 'off', 'yes', 'no', 'none', 'minimal', 'low', 'medium', 'high' or 'xhigh'";

    /// <summary>The values of OpenAI's <c>reasoning_effort</c>, for error messages.</summary>
    public const string EffortValues = "'none', 'minimal', 'low', 'medium', 'high' or 'xhigh'";

    /// <summary>
    /// AbstractCore's <c>thinking</c> as a string, case-insensitive: <c>auto</c> gives null (no change), the
    /// on/off words and the effort levels (with <c>xhigh</c>'s aliases) give a control; anything else is false.
    /// </summary>
    public static bool TryParseThinking(string value, out ReasoningControl? control)
    {
        control = null;
        switch (value.Trim().ToLowerInvariant())
        {
            case "auto":
                return true;
            case "on" or "true" or "yes":
                control = On;
                return true;
            case "off" or "false" or "no" or "none":
                control = Off;
                return true;
            case var level when ParseLevel(level) is { } effort:
                control = new ReasoningControl(true, effort);
                return true;
            default:
                return false;
        }
    }

    /// <summary>OpenAI's <c>reasoning_effort</c>, case-insensitive: <c>none</c> turns reasoning off, a level turns it on.</summary>
    public static bool TryParseEffort(string value, out ReasoningControl? control)
    {
        var level = value.Trim().ToLowerInvariant();
        control = level == "none" ? Off
            : level is "minimal" or "low" or "medium" or "high" or "xhigh" ? new ReasoningControl(true, ParseLevel(level))
            : null;
        return control is not null;
    }

    private static ReasoningEffort? ParseLevel(string level) => level switch
    {
        "minimal" => ReasoningEffort.Minimal,
        "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" or "extra high" or "extra-high" or "extra_high" or "x-high" => ReasoningEffort.ExtraHigh,
        _ => null,
    };
}
