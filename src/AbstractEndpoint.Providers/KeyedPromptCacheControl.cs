using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Providers;

/// <summary>
/// The reduced control plane of a remote provider, as the upstream contract's <c>keyed</c> mode: keys are accepted
/// and forwarded (the upstream keeps whatever cache it keeps), <c>set</c> records a key and, by default, makes it the
/// default key sent with a chat that names none; <c>clear</c> forgets keys; <c>stats</c> lists them. <c>update</c>,
/// <c>fork</c> and <c>prepare_modules</c> would need this server to hold the upstream's KV state, which it cannot:
/// they answer <c>prompt_cache_unsupported</c>. Keys are few and small; the oldest is forgotten beyond
/// <see cref="MaxEntries"/> so a client cannot grow the table without bound.
/// </summary>
public sealed class KeyedPromptCacheControl(string provider, string model, TimeProvider? clock = null) : IPromptCacheControl
{
    /// <summary>Most keys remembered.</summary>
    public const int MaxEntries = 1024;

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    // Oldest first, as the contract's stats list them.
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, long> _createdAt = new(StringComparer.Ordinal);
    private string? _defaultKey;

    /// <summary>The contract's keyed capabilities: set, clear and stats.</summary>
    public static PromptCacheCapabilities KeyedCapabilities { get; } = new(
        true, "keyed", true, true, false, false, false, true, false, false, false,
        ["Provider accepts prompt cache keys but does not expose the full local prompt-cache control plane."]);

    public PromptCacheCapabilities Capabilities => KeyedCapabilities;

    /// <summary>The key a chat without <c>prompt_cache_key</c> is sent with; null when none was set.</summary>
    public string? DefaultKey
    {
        get
        {
            lock (_gate)
            {
                return _defaultKey;
            }
        }
    }

    public PromptCacheStats Stats()
    {
        lock (_gate)
        {
            var rows = _keys.Order(StringComparer.Ordinal).Select(key => KeyValuePair.Create(key, new JsonObject
            {
                [PromptCacheMetaKeys.Backend] = "provider",
                [PromptCacheMetaKeys.Provider] = provider,
                [PromptCacheMetaKeys.Model] = model,
                [PromptCacheMetaKeys.CreatedAtSeconds] = _createdAt[key],
            })).ToList();
            return new PromptCacheStats(_keys.Count, MaxEntries, null, _defaultKey, [.. _keys], rows);
        }
    }

    public bool Set(PromptCacheSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = PromptCacheKeys.Normalize(request.Key)
            ?? throw new PromptCacheOperationException(PromptCacheErrorCodes.InvalidKey, "prompt cache key must be a non-empty string");
        lock (_gate)
        {
            // Set (re)creates: the key moves to the newest end.
            _keys.Remove(key);
            _keys.Add(key);
            _createdAt[key] = _clock.GetUtcNow().ToUnixTimeSeconds();
            if (_keys.Count > MaxEntries)
            {
                Forget(_keys[0]);
            }

            if (request.MakeDefault)
            {
                _defaultKey = key;
            }
        }

        return true;
    }

    public bool Clear(PromptCacheClearRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = PromptCacheKeys.Normalize(request.Key);
        lock (_gate)
        {
            if (key is null)
            {
                _keys.Clear();
                _createdAt.Clear();
                _defaultKey = null;
                return true;
            }

            if (!_keys.Contains(key))
            {
                throw new PromptCacheOperationException(PromptCacheErrorCodes.MissingKey, $"prompt cache key '{key}' does not exist");
            }

            Forget(key);
        }

        return true;
    }

    public bool Update(PromptCacheUpdateRequest request) =>
        throw Unsupported("update", "append to a cache: the upstream keeps its own cache state");

    public bool Fork(PromptCacheForkRequest request) =>
        throw Unsupported("fork", "copy a cache: the upstream keeps its own cache state");

    public PromptCachePrepareResult PrepareModules(PromptCachePrepareModulesRequest request) =>
        throw new PromptCacheOperationException(
            PromptCacheErrorCodes.Unsupported,
            $"{PromptCacheMessages.PrepareModulesUnsupported} (the remote provider '{provider}' keeps its own cache state; keys are forwarded as prompt_cache_key)");

    private static PromptCacheOperationException Unsupported(string operation, string why) =>
        new(PromptCacheErrorCodes.Unsupported, $"{PromptCacheMessages.ControlPlaneUnsupported}: a remote provider cannot {why} ({operation}); keys are forwarded as prompt_cache_key");

    private void Forget(string key)
    {
        _keys.Remove(key);
        _createdAt.Remove(key);
        if (_defaultKey == key)
        {
            _defaultKey = null;
        }
    }
}
