using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.PromptCaching.Modules;

/// <summary>
/// Our fold of <c>thinking</c> into prepared keys (not upstream's, whose rewrite of the system text is not public):
/// the chat route hands a reasoning control to the template as switches, never as text, so the modules' own content
/// is unchanged and the control is folded into the chain's seed instead:
/// <c>h0 = sha256_hex("acore-prompt-cache:" + version + ":thinking=" + word)</c>. Null (absent, <c>null</c> or
/// <c>"auto"</c>) keeps the unfolded seed, so keys without thinking are upstream's. The fold does not depend on
/// the model's template, so a client can derive keys without knowing it.
/// </summary>
public static class PromptCacheThinkingFold
{
    /// <summary><c>off</c>, <c>on</c>, or the level (<c>minimal</c>, <c>low</c>, <c>medium</c>, <c>high</c>, <c>xhigh</c>); null for no fold.</summary>
    public static string? Word(ReasoningControl? control) => control switch
    {
        null => null,
        { Enabled: false } => "off",
        { Effort: null } => "on",
        { Effort: ReasoningEffort.Minimal } => "minimal",
        { Effort: ReasoningEffort.Low } => "low",
        { Effort: ReasoningEffort.Medium } => "medium",
        { Effort: ReasoningEffort.High } => "high",
        _ => "xhigh",
    };
}
