using AbstractEndpoint.PromptCaching.Modules;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// A successful prepare_modules: the derived keys (a failure is a <see cref="Control.PromptCacheOperationException"/>
/// with its contract code).
/// </summary>
public sealed class PromptCachePrepareResult
{
    private PromptCachePrepareResult(string @namespace, long version, IReadOnlyList<DerivedPromptCacheKey> modules)
    {
        Namespace = @namespace;
        Version = version;
        Modules = modules;
    }

    /// <summary>The trimmed namespace.</summary>
    public string Namespace { get; }

    public long Version { get; }

    /// <summary>One derived key per module (on the warm path, the ones that exist, always the final one).</summary>
    public IReadOnlyList<DerivedPromptCacheKey> Modules { get; }

    /// <summary>The key of the whole prefix: the one to fork per session.</summary>
    public string FinalCacheKey => Modules[^1].CacheKey;

    public static PromptCachePrepareResult Success(string @namespace, long version, IReadOnlyList<DerivedPromptCacheKey> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Count == 0)
        {
            throw new ArgumentException("A successful preparation has at least one module.", nameof(modules));
        }

        return new(@namespace, version, modules);
    }
}
