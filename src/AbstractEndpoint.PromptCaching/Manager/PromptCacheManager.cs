using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Modules;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Python;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// The control plane's semantics over a store and an engine backend: the original's <c>prompt_cache_set</c>,
/// <c>_update</c>, <c>_fork</c>, <c>_clear</c> and <c>_prepare_modules</c> (in their in-process, KV-holding
/// form: MLX's, which llama.cpp sequences can honour fully), and the default-key rule for generations.
/// </summary>
/// <remarks>
/// Not thread-safe by itself: call it from the thread (or under the lock) that owns the engine. Each method frees,
/// through <see cref="IPromptCacheBackend{TPayload}.Release"/>, whatever its changes pushed out of the store, plus
/// anything queued since the last call (e.g. entries a stats read found expired).
/// </remarks>
public sealed class PromptCacheManager<TPayload>
{
    private readonly IPromptCacheBackend<TPayload> _backend;

    public PromptCacheManager(PromptCacheStore<TPayload> store, IPromptCacheBackend<TPayload> backend)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(backend);
        Store = store;
        _backend = backend;
    }

    public PromptCacheStore<TPayload> Store { get; }

    /// <summary>
    /// set: (re)creates an empty cache under the key, whether or not it existed (MLX/GGUF semantics), with the given
    /// TTL and meta <c>{"backend": Name}</c>; optionally makes it the default. False for a blank key or when the
    /// backend cannot allocate (the default is set first either way, as in the original).
    /// </summary>
    public bool Set(string? key, bool makeDefault = true, double? ttlSeconds = null)
    {
        try
        {
            var normalized = PromptCacheKeys.Normalize(key);
            if (normalized is null)
            {
                return false;
            }

            if (makeDefault)
            {
                Store.SetDefaultKey(normalized);
            }

            if (!_backend.TryCreate(out var payload))
            {
                return false;
            }

            Store.Set(normalized, payload, ttlSeconds, new JsonObject { [PromptCacheMetaKeys.Backend] = _backend.Name });
            return true;
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// update: appends the fragment to the key's cache, creating the cache (not as default) if missing. A TTL, when
    /// given, re-stores the entry with it. Refuses (false) an immutable prepare_modules snapshot, whose key would
    /// otherwise stop describing its content; the original appended regardless. The reader turns the fragment's
    /// messages and tools into domain types just before the append, never for a refused update.
    /// </summary>
    public bool Update(string? key, PromptCacheFragment fragment, IPromptCacheFragmentReader reader, double? ttlSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var normalized = PromptCacheKeys.Normalize(key);
            if (normalized is null)
            {
                return false;
            }

            if (!Store.TryGet(normalized, out var entry))
            {
                if (!Set(normalized, makeDefault: false) || !Store.TryGet(normalized, out entry))
                {
                    return false;
                }
            }

            if (entry.Immutable || !_backend.TryAppend(entry.Payload, reader.Read(fragment)))
            {
                return false;
            }

            if (ttlSeconds is not null)
            {
                Store.Set(normalized, entry.Payload, ttlSeconds, entry.Meta, entry.Immutable, entry.Location);
            }

            return true;
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// fork: clones the source cache into the destination key (replacing it), copying the source's meta and adding
    /// <c>forked_from</c> only when absent, so it keeps naming the first ancestor. The copy is mutable.
    /// </summary>
    public bool Fork(string? fromKey, string? toKey, bool makeDefault = false, double? ttlSeconds = null)
    {
        try
        {
            var source = PromptCacheKeys.Normalize(fromKey);
            var destination = PromptCacheKeys.Normalize(toKey);
            if (source is null || destination is null)
            {
                return false;
            }

            if (!Store.TryGet(source, out var entry) || !_backend.TryClone(entry.Payload, out var clone))
            {
                return false;
            }

            var meta = entry.Meta;
            if (!meta.ContainsKey(PromptCacheMetaKeys.ForkedFrom))
            {
                meta[PromptCacheMetaKeys.ForkedFrom] = source;
            }

            Store.Set(destination, clone, ttlSeconds, meta, immutable: false, entry.Location);
            if (makeDefault)
            {
                Store.SetDefaultKey(destination);
            }

            return true;
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// clear: with no key (or a blank one) drops every cache and the default key and returns true; with a key,
    /// removes it, unsets the default if it named it, and returns whether it existed.
    /// </summary>
    public bool Clear(string? key = null)
    {
        try
        {
            var normalized = PromptCacheKeys.Normalize(key);
            if (normalized is null)
            {
                Store.Clear();
                return true;
            }

            return Store.Delete(normalized);
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// prepare_modules: derives one key per module, reuses the longest run of leading keys already cached, and builds
    /// the rest by appending each module to a working copy and storing an immutable snapshot per module (meta
    /// namespace, module_id, module_hash, index, backend "provider", token_count). Progress made before a failure
    /// stays. Re-running with the same modules appends nothing.
    /// </summary>
    public PromptCachePrepareResult PrepareModules(
        string? @namespace,
        IEnumerable<JsonElement> modules,
        IPromptCacheFragmentReader reader,
        bool makeDefault = false,
        double? ttlSeconds = null,
        long version = 1)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var ns = PythonWhitespace.Strip(@namespace ?? "");
            if (ns.Length == 0)
            {
                return PromptCachePrepareResult.Failure(PromptCacheMessages.NamespaceRequired);
            }

            var normalized = PromptCacheModuleNormalizer.NormalizeAll(modules);
            if (normalized.Count == 0)
            {
                return PromptCachePrepareResult.Failure(PromptCacheMessages.NoModules);
            }

            var derived = PromptCacheKeyDerivation.Derive(ns, normalized, version);
            var error = BuildMissingPrefixes(ns, derived, reader, ttlSeconds);
            if (error is not null)
            {
                return PromptCachePrepareResult.Failure(error);
            }

            if (makeDefault)
            {
                Store.SetDefaultKey(derived[^1].CacheKey);
            }

            return PromptCachePrepareResult.Success(ns, version, derived);
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// The cache key a generation uses: its own (trimmed, when not blank), else the default key, else none.
    /// Over HTTP a blank key is dropped, so a request cannot opt out of the default (as in the original).
    /// </summary>
    public string? ResolveGenerationKey(string? requestedKey) =>
        PromptCacheKeys.Normalize(requestedKey) ?? Store.DefaultKey;

    /// <summary>
    /// The entry a generation should use for a key, creating an empty cache (not as default) on first use, as the
    /// original's local providers do. Null when the backend cannot allocate.
    /// </summary>
    public PromptCacheEntry<TPayload>? GetOrCreate(string key)
    {
        try
        {
            if (Store.TryGet(key, out var entry))
            {
                return entry;
            }

            return Set(key, makeDefault: false) && Store.TryGet(key, out entry) ? entry : null;
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>Frees every payload that has left the store since the last call.</summary>
    public void ReleaseRemoved()
    {
        foreach (var removal in Store.TakeRemoved())
        {
            _backend.Release(removal.Entry.Payload);
        }
    }

    private string? BuildMissingPrefixes(
        string ns, IReadOnlyList<DerivedPromptCacheKey> derived, IPromptCacheFragmentReader reader, double? ttlSeconds)
    {
        // The longest run of leading keys that exist; looking them up also marks them used, as the original does.
        var reuse = -1;
        while (reuse + 1 < derived.Count && Store.TryGet(derived[reuse + 1].CacheKey, out _))
        {
            reuse++;
        }

        if (reuse == derived.Count - 1)
        {
            return null;
        }

        TPayload working;
        if (reuse >= 0 && Store.TryGet(derived[reuse].CacheKey, out var existing))
        {
            // The original fell back to an empty cache here and then appended only the missing modules, leaving a
            // snapshot without its prefix under a key that promises one; failing is the honest answer.
            if (!_backend.TryClone(existing.Payload, out working!))
            {
                return PromptCacheMessages.CloningUnsupported;
            }
        }
        else
        {
            if (!_backend.TryCreate(out working!))
            {
                return PromptCacheMessages.NoInProcessBackend;
            }

            reuse = -1;
        }

        try
        {
            for (var j = reuse + 1; j < derived.Count; j++)
            {
                var module = derived[j].Module;
                var fragment = new PromptCacheFragment(
                    module.Prompt ?? "", module.Messages, module.SystemPrompt, module.Tools, module.AddGenerationPrompt);
                if (!_backend.TryAppend(working, reader.Read(fragment)))
                {
                    return PromptCacheMessages.AppendFailed(module.ModuleId);
                }

                if (!_backend.TryClone(working, out var snapshot))
                {
                    return PromptCacheMessages.CloningUnsupported;
                }

                var meta = new JsonObject
                {
                    [PromptCacheMetaKeys.Namespace] = ns,
                    [PromptCacheMetaKeys.ModuleId] = module.ModuleId,
                    [PromptCacheMetaKeys.ModuleHash] = derived[j].ModuleHash,
                    [PromptCacheMetaKeys.Index] = j,
                    [PromptCacheMetaKeys.Backend] = PromptCacheMetaKeys.PreparedSnapshotBackend,
                };
                if (_backend.CountTokens(snapshot) is int tokens && tokens >= 0)
                {
                    meta[PromptCacheMetaKeys.TokenCount] = tokens;
                }

                Store.Set(derived[j].CacheKey, snapshot, ttlSeconds, meta, immutable: true);
            }

            return null;
        }
        finally
        {
            _backend.Release(working);
        }
    }
}
