namespace AbstractEndpoint.Core.Chat;

/// <summary>How hard a reasoning model should think, from least to most (OpenAI's and AbstractCore's levels).</summary>
public enum ReasoningEffort
{
    Minimal,
    Low,
    Medium,
    High,
    ExtraHigh,
}
