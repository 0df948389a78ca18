using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// The named-cache control plane of a loaded model, in domain terms: what <c>/acore/prompt_cache/*</c> asks for.
/// Implemented by the local engine (KV sequences); a remote provider may implement it or leave the capability out.
/// </summary>
/// <remarks>
/// The operations return true (the contract's <c>ok</c>) or throw a <see cref="PromptCacheOperationException"/>
/// whose code and message the routes answer with.
/// </remarks>
public interface IPromptCacheControl
{
    /// <summary>What this control plane supports (the capabilities object of every reply).</summary>
    PromptCacheCapabilities Capabilities { get; }

    PromptCacheStats Stats();

    bool Set(PromptCacheSetRequest request);

    bool Update(PromptCacheUpdateRequest request);

    bool Fork(PromptCacheForkRequest request);

    bool Clear(PromptCacheClearRequest request);

    PromptCachePrepareResult PrepareModules(PromptCachePrepareModulesRequest request);
}
