using AbstractEndpoint.PromptCaching.Modules;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// The outcome of prepare_modules: the derived keys, or the original's error text (which it reports as
/// <c>{"supported": false, "error": …}</c> with HTTP 200).
/// </summary>
public sealed class PromptCachePrepareResult
{
    private PromptCachePrepareResult(string? error, string @namespace, long version, IReadOnlyList<DerivedPromptCacheKey> modules)
    {
        Error = error;
        Namespace = @namespace;
        Version = version;
        Modules = modules;
    }

    public bool Supported => Error is null;

    public string? Error { get; }

    /// <summary>The trimmed namespace (empty on failure).</summary>
    public string Namespace { get; }

    public long Version { get; }

    /// <summary>One derived key per surviving module (empty on failure).</summary>
    public IReadOnlyList<DerivedPromptCacheKey> Modules { get; }

    /// <summary>The key of the whole prefix: the one to fork per session.</summary>
    public string? FinalCacheKey => Modules.Count == 0 ? null : Modules[^1].CacheKey;

    public static PromptCachePrepareResult Success(string @namespace, long version, IReadOnlyList<DerivedPromptCacheKey> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Count == 0)
        {
            throw new ArgumentException("A successful preparation has at least one module.", nameof(modules));
        }

        return new(null, @namespace, version, modules);
    }

    public static PromptCachePrepareResult Failure(string error) => new(error, "", 0, []);
}
