using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Control;
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
    /// TTL and meta <c>{"backend": Name}</c>; optionally makes it the default (set first, as in the original).
    /// </summary>
    /// <returns>True (the contract's <c>ok</c>).</returns>
    /// <exception cref="PromptCacheOperationException">
    /// <see cref="PromptCacheErrorCodes.InvalidKey"/> for a blank key; <see cref="PromptCacheErrorCodes.BackendUnavailable"/>
    /// when the backend cannot allocate a cache.
    /// </exception>
    public bool Set(string? key, bool makeDefault = true, double? ttlSeconds = null)
    {
        try
        {
            var normalized = RequireKey(key, "key");
            if (makeDefault)
            {
                Store.SetDefaultKey(normalized);
            }

            Create(normalized, ttlSeconds);
            return true;
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// update: appends the fragment to the key's cache, creating the cache (not as default) if missing. A TTL, when
    /// given, re-stores the entry with it; without one the entry keeps its own. Refuses an immutable prepare_modules
    /// snapshot, whose key would otherwise stop describing its content (the original appended regardless). The
    /// reader turns the fragment's messages and tools into domain types just before the append, never for a refused
    /// update.
    /// </summary>
    /// <returns>True (the contract's <c>ok</c>).</returns>
    /// <exception cref="PromptCacheOperationException">
    /// <see cref="PromptCacheErrorCodes.InvalidKey"/>, <see cref="PromptCacheErrorCodes.BackendUnavailable"/> (no
    /// cache could be made for a new key), <see cref="PromptCacheErrorCodes.AppendFailed"/> (an immutable snapshot,
    /// or a fragment the backend could not prefill: its message says why).
    /// </exception>
    public bool Update(string? key, PromptCacheFragment fragment, IPromptCacheFragmentReader reader, double? ttlSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var normalized = RequireKey(key, "key");
            if (!Store.TryGet(normalized, out var entry))
            {
                entry = Create(normalized, ttlSeconds: null);
            }

            if (entry.Immutable)
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.AppendFailed,
                    $"prompt cache '{normalized}' is a prepare_modules snapshot, which never changes (its key is the hash of "
                    + "its content); fork it to a key of your own and update that");
            }

            if (!_backend.TryAppend(entry.Payload, reader.Read(fragment)))
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.AppendFailed, $"the fragment could not be appended to prompt cache '{normalized}'");
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
    /// <c>forked_from</c> only when absent, so it keeps naming the first ancestor. The copy is mutable and is a new
    /// cache: it gets its own <c>binding_id</c> and <c>created_at_s</c>.
    /// </summary>
    /// <returns>True (the contract's <c>ok</c>).</returns>
    /// <exception cref="PromptCacheOperationException">
    /// <see cref="PromptCacheErrorCodes.InvalidKey"/>, <see cref="PromptCacheErrorCodes.MissingSourceKey"/>,
    /// <see cref="PromptCacheErrorCodes.CloneFailed"/>.
    /// </exception>
    public bool Fork(string? fromKey, string? toKey, bool makeDefault = false, double? ttlSeconds = null)
    {
        try
        {
            var source = RequireKey(fromKey, "from_key");
            var destination = RequireKey(toKey, "to_key");
            if (!Store.TryGet(source, out var entry))
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.MissingSourceKey, $"prompt cache key '{source}' (from_key) does not exist");
            }

            if (!_backend.TryClone(entry.Payload, out var clone))
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.CloneFailed, $"prompt cache '{source}' could not be copied: {NoFreeCache}");
            }

            var meta = entry.Meta;
            if (!meta.ContainsKey(PromptCacheMetaKeys.ForkedFrom))
            {
                meta[PromptCacheMetaKeys.ForkedFrom] = source;
            }

            meta.Remove(PromptCacheMetaKeys.BindingId);
            meta.Remove(PromptCacheMetaKeys.CreatedAtSeconds);
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
    /// clear: with no key (or a blank one) drops every cache and the default key; with a key, unsets the default if
    /// it named it and removes the key.
    /// </summary>
    /// <returns>True (the contract's <c>ok</c>).</returns>
    /// <exception cref="PromptCacheOperationException"><see cref="PromptCacheErrorCodes.MissingKey"/> for an unknown key.</exception>
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

            return Store.Delete(normalized)
                ? true
                : throw new PromptCacheOperationException(PromptCacheErrorCodes.MissingKey, $"prompt cache key '{normalized}' does not exist");
        }
        finally
        {
            ReleaseRemoved();
        }
    }

    /// <summary>
    /// prepare_modules: validates everything first (namespace, then every module, then that there is one), derives
    /// one key per module (with the <paramref name="reasoning"/> fold, see <see cref="PromptCacheThinkingFold"/>),
    /// and, unless the final key already exists (the warm path: nothing is appended and <paramref name="ttlSeconds"/>
    /// is not applied), reuses the longest run of leading keys already cached and builds the rest by appending each
    /// module to a working copy and storing an immutable snapshot per module (meta namespace, module_id,
    /// module_hash, index, backend "provider", token_count). Snapshots stored before a failure stay.
    /// </summary>
    /// <exception cref="PromptCacheOperationException">
    /// <see cref="PromptCacheErrorCodes.InvalidNamespace"/>, <see cref="PromptCacheErrorCodes.InvalidModule"/>,
    /// <see cref="PromptCacheErrorCodes.NoModules"/>, <see cref="PromptCacheErrorCodes.BackendUnavailable"/>,
    /// <see cref="PromptCacheErrorCodes.AppendFailed"/>, <see cref="PromptCacheErrorCodes.CloneFailed"/>.
    /// </exception>
    public PromptCachePrepareResult PrepareModules(
        string? @namespace,
        IEnumerable<JsonElement> modules,
        IPromptCacheFragmentReader reader,
        bool makeDefault = false,
        double? ttlSeconds = null,
        long version = 1,
        ReasoningControl? reasoning = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            var ns = PythonWhitespace.Strip(@namespace ?? "");
            if (ns.Length == 0)
            {
                throw new PromptCacheOperationException(PromptCacheErrorCodes.InvalidNamespace, PromptCacheMessages.NamespaceRequired);
            }

            var normalized = PromptCacheModuleNormalizer.NormalizeAll(modules);
            if (normalized.Count == 0)
            {
                throw new PromptCacheOperationException(PromptCacheErrorCodes.NoModules, PromptCacheMessages.NoModules);
            }

            var derived = PromptCacheKeyDerivation.Derive(ns, normalized, version, PromptCacheThinkingFold.Word(reasoning));
            if (Store.TryGet(derived[^1].CacheKey, out _))
            {
                // The warm path: the whole prefix exists. The lookups refresh the keys' sliding expiry.
                derived = [.. derived.Where(d => d == derived[^1] || Store.TryGet(d.CacheKey, out _))];
            }
            else
            {
                BuildMissingPrefixes(ns, derived, reader, ttlSeconds, reasoning);
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

            return Create(key, ttlSeconds: null);
        }
        catch (PromptCacheOperationException)
        {
            return null; // No cache sequence is free: the request runs without a cache.
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

    private const string NoFreeCache = "every cache sequence is in use (see --prompt-cache-max-entries)";

    private static string RequireKey(string? key, string field) =>
        PromptCacheKeys.Normalize(key)
        ?? throw new PromptCacheOperationException(PromptCacheErrorCodes.InvalidKey, $"{field} must be a non-empty string");

    /// <summary>A new, empty cache under the key (replacing any), meta <c>{"backend": Name}</c>.</summary>
    private PromptCacheEntry<TPayload> Create(string key, double? ttlSeconds)
    {
        if (!_backend.TryCreate(out var payload))
        {
            throw new PromptCacheOperationException(
                PromptCacheErrorCodes.BackendUnavailable, $"no cache could be made for '{key}': {NoFreeCache}");
        }

        return Store.Set(key, payload, ttlSeconds, new JsonObject { [PromptCacheMetaKeys.Backend] = _backend.Name });
    }

    private void BuildMissingPrefixes(
        string ns, IReadOnlyList<DerivedPromptCacheKey> derived, IPromptCacheFragmentReader reader, double? ttlSeconds,
        ReasoningControl? reasoning)
    {
        // The longest run of leading keys that exist; looking them up also marks them used, as the original does.
        var reuse = -1;
        while (reuse + 1 < derived.Count && Store.TryGet(derived[reuse + 1].CacheKey, out _))
        {
            reuse++;
        }

        TPayload working;
        if (reuse >= 0 && Store.TryGet(derived[reuse].CacheKey, out var existing) && _backend.TryClone(existing.Payload, out working!))
        {
            // Continue from the last existing snapshot.
        }
        else
        {
            // Nothing to reuse, or the clone failed: the chain is rebuilt from module 0, as upstream does.
            if (!_backend.TryCreate(out working!))
            {
                throw new PromptCacheOperationException(
                    PromptCacheErrorCodes.BackendUnavailable, $"no working cache could be made to prepare the modules: {NoFreeCache}");
            }

            reuse = -1;
        }

        try
        {
            for (var j = reuse + 1; j < derived.Count; j++)
            {
                var module = derived[j].Module;
                var fragment = new PromptCacheFragment(
                    module.Prompt ?? "", module.Messages, module.SystemPrompt, module.Tools, module.AddGenerationPrompt, reasoning);
                if (!_backend.TryAppend(working, reader.Read(fragment)))
                {
                    throw new PromptCacheOperationException(
                        PromptCacheErrorCodes.AppendFailed, PromptCacheMessages.AppendFailed(module.ModuleId));
                }

                if (!_backend.TryClone(working, out var snapshot))
                {
                    throw new PromptCacheOperationException(
                        PromptCacheErrorCodes.CloneFailed, $"module '{module.ModuleId}' could not be stored: {NoFreeCache}");
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
        }
        finally
        {
            _backend.Release(working);
        }
    }
}
