using System.Diagnostics.CodeAnalysis;

namespace AbstractEndpoint.PromptCaching.Manager;

/// <summary>
/// What the engine provides so <see cref="PromptCacheManager{TPayload}"/> can run the control plane: the original's
/// <c>_prompt_cache_backend_*</c> hooks, plus <see cref="Release"/> because a KV sequence is not garbage-collected.
/// Called only from the manager's methods, i.e. on the thread that owns the engine.
/// </summary>
public interface IPromptCacheBackend<TPayload>
{
    /// <summary>The meta "backend" value for caches made by set (the original's GGUF provider says "llama_cpp").</summary>
    string Name { get; }

    /// <summary>A new, empty cache; false when none can be made (e.g. no free sequence).</summary>
    bool TryCreate([MaybeNullWhen(false)] out TPayload payload);

    /// <summary>An independent copy of a cache's state; the store records it where its source lives.</summary>
    bool TryClone(TPayload source, [MaybeNullWhen(false)] out TPayload clone);

    /// <summary>Prefills the fragment (already read into domain messages and tools) into the cache, in place.</summary>
    bool TryAppend(TPayload target, PromptCacheAppend fragment);

    /// <summary>Tokens held, for the "token_count" meta; null when unknown.</summary>
    int? CountTokens(TPayload payload);

    /// <summary>Frees a cache the store no longer holds (or a working copy the manager is done with).</summary>
    void Release(TPayload payload);
}
