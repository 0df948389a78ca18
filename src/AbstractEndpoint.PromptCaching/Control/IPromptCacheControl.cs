using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.PromptCaching.Control;

/// <summary>
/// The named-cache control plane of a loaded model, in domain terms: what <c>/acore/prompt_cache/*</c> asks for.
/// Implemented by the local engine (KV sequences); a remote provider may implement it or leave the capability out.
/// </summary>
public interface IPromptCacheControl
{
    PromptCacheStats Stats();

    bool Set(PromptCacheSetRequest request);

    bool Update(PromptCacheUpdateRequest request);

    bool Fork(PromptCacheForkRequest request);

    bool Clear(PromptCacheClearRequest request);

    PromptCachePrepareResult PrepareModules(PromptCachePrepareModulesRequest request);
}
