namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// What a backend's control plane can do: the capabilities object of every control-plane reply and of
/// <c>GET /acore/prompt_cache/capabilities</c>. Every field is always written.
/// </summary>
public sealed record PromptCacheCapabilities(
    bool Supported,
    string Mode,
    bool SupportsSet,
    bool SupportsClear,
    bool SupportsUpdate,
    bool SupportsFork,
    bool SupportsPrepareModules,
    bool SupportsStats,
    bool SupportsSave,
    bool SupportsLoad,
    bool SupportsTtl,
    IReadOnlyList<string> Notes)
{
    /// <summary>No named caches (a remote provider): every flag false.</summary>
    public static PromptCacheCapabilities None { get; } = new(
        false, "none", false, false, false, false, false, false, false, false, false,
        ["This backend has no named prompt caches."]);

    /// <summary>
    /// The local engine: the whole control plane on llama.cpp KV sequences. Save and load (no HTTP routes: caches
    /// are written to the directory after each change and reloaded at start) only with <c>--prompt-cache-dir</c>.
    /// </summary>
    public static PromptCacheCapabilities LocalControlPlane(bool persistent) => new(
        true, "local_control_plane", true, true, true, true, true, true, persistent, persistent, true,
        [persistent
            ? "Named caches are llama.cpp KV sequences of the served model, saved to --prompt-cache-dir after each change and reloaded at start."
            : "Named caches are llama.cpp KV sequences of the served model, kept in memory; start with --prompt-cache-dir to save them and reload them at start."]);
}
