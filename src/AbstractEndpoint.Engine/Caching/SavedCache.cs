using System.Text.Json.Nodes;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>Everything a named cache needs to come back after a restart, except the KV bytes themselves.</summary>
public sealed record SavedCache
{
    public required string Key { get; init; }

    /// <summary>The <see cref="ModelFingerprint"/> of the model the state was computed with.</summary>
    public required string ModelFingerprint { get; init; }

    /// <summary>
    /// The KV cache types the state was computed with (<c>k=f16 v=f16</c>); a state is only valid under the same
    /// ones. Files from before it was recorded hold f16 states, the only types there were.
    /// </summary>
    public string KvCacheTypes { get; init; } = PromptCacheService.DefaultKvCacheTypes;

    public required int[] Tokens { get; init; }

    public required JsonArray Conversation { get; init; }

    public required JsonArray Tools { get; init; }

    public bool Immutable { get; init; }

    public double? TtlSeconds { get; init; }

    /// <summary>The original's meta fields (backend, forked_from, namespace, module_id…).</summary>
    public required JsonObject Meta { get; init; }

    /// <summary>Unix seconds of the last use, to restore the LRU order.</summary>
    public double LastUsedAt { get; init; }
}
