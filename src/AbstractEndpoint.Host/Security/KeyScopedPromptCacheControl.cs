using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Host.Security;

/// <summary>
/// One API key's view of the named-cache control plane: names go in scoped (<see cref="PromptCacheKeyScope"/>) and
/// come back unscoped; stats list only this key's caches; <c>clear</c> without a key drops only this key's caches;
/// <c>make_default</c> sets this key's own default (<see cref="PromptCacheDefaultKeys"/>), never the engine's shared
/// one. The engine below is unchanged: isolation is a naming rule applied at the edge.
/// </summary>
internal sealed class KeyScopedPromptCacheControl(IPromptCacheControl inner, PromptCacheKeyScope scope) : IPromptCacheControl
{
    public PromptCacheCapabilities Capabilities => inner.Capabilities;

    public PromptCacheStats Stats()
    {
        var all = inner.Stats();
        var keys = all.Keys.Where(scope.Owns).Select(scope.Unscope).ToList();
        var meta = all.MetaByKey
            .Where(row => scope.Owns(row.Key))
            .Select(row => KeyValuePair.Create(scope.Unscope(row.Key), scope.UnscopeMeta(row.Value)))
            .ToList();

        // The default is reported only while its cache lives, as the engine's own default is unset with its cache.
        var defaultKey = scope.Defaults.Get(scope.KeyId) is { } name && keys.Contains(name) ? name : null;
        return new PromptCacheStats(keys.Count, all.MaxEntries, all.DefaultTtlSeconds, defaultKey, keys, meta);
    }

    public bool Set(PromptCacheSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ok = Run(() => inner.Set(request with { Key = ScopeOrBlank(request.Key), MakeDefault = false }));
        if (request.MakeDefault)
        {
            scope.Defaults.Set(scope.KeyId, PromptCacheKeys.Normalize(request.Key)!);
        }

        return ok;
    }

    public bool Update(PromptCacheUpdateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => inner.Update(request with { Key = ScopeOrBlank(request.Key) }));
    }

    public bool Fork(PromptCacheForkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ok = Run(() => inner.Fork(request with
        {
            FromKey = ScopeOrBlank(request.FromKey),
            ToKey = ScopeOrBlank(request.ToKey),
            MakeDefault = false,
        }));
        if (request.MakeDefault)
        {
            scope.Defaults.Set(scope.KeyId, PromptCacheKeys.Normalize(request.ToKey)!);
        }

        return ok;
    }

    public bool Clear(PromptCacheClearRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (PromptCacheKeys.Normalize(request.Key) is { } name)
        {
            // As in the engine, the default is unset first, even when the key turns out not to exist.
            scope.Defaults.Unset(scope.KeyId, onlyIf: name);
            return Run(() => inner.Clear(new PromptCacheClearRequest(scope.Scope(name))));
        }

        // "Clear everything" is everything of this key: other keys' caches stay. A cache already gone (evicted or
        // cleared by a concurrent call) is what was asked for, so it is not an error here.
        foreach (var key in inner.Stats().Keys.Where(scope.Owns))
        {
            try
            {
                inner.Clear(new PromptCacheClearRequest(key));
            }
            catch (PromptCacheOperationException ex) when (ex.Code == PromptCacheErrorCodes.MissingKey)
            {
            }
        }

        scope.Defaults.Unset(scope.KeyId);
        return true;
    }

    public PromptCachePrepareResult PrepareModules(PromptCachePrepareModulesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The namespace is not hashed into the keys (key = namespace + ":" + hash), so scoping it scopes every
        // derived key while the hashes stay exactly the ones a client computes.
        var result = Run(() => inner.PrepareModules(request with
        {
            Namespace = ScopeOrBlank(request.Namespace),
            MakeDefault = false,
        }));
        if (request.MakeDefault)
        {
            scope.Defaults.Set(scope.KeyId, scope.Unscope(result.FinalCacheKey));
        }

        return PromptCachePrepareResult.Success(
            scope.Unscope(result.Namespace),
            result.Version,
            [.. result.Modules.Select(module => module with { CacheKey = scope.Unscope(module.CacheKey) })]);
    }

    /// <summary>A blank name stays blank, so the engine answers it with its own coded failure.</summary>
    private string ScopeOrBlank(string name) => scope.Scope(name) ?? name;

    private T Run<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (PromptCacheOperationException ex)
        {
            throw new PromptCacheOperationException(ex.Code, scope.UnscopeText(ex.Message), ex);
        }
    }
}
