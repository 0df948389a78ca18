namespace AbstractEndpoint.Core.Backends;

/// <summary>What a backend reports about its own load (<c>/slots</c>, <c>/status</c>; later <c>/props</c> and <c>/metrics</c>).</summary>
public interface IBackendStatus
{
    /// <summary>One snapshot per slot, in slot order; empty for a backend without local slots.</summary>
    IReadOnlyList<SlotSnapshot> Slots { get; }

    /// <summary>Requests accepted and not yet finished: waiting for a slot or being served.</summary>
    int PendingRequests { get; }

    /// <summary>Requests accepted and still waiting for a slot (the queue's depth).</summary>
    int QueuedRequests { get; }

    /// <summary>Tokens generated since start; its growth over time is the aggregate tokens per second.</summary>
    long GeneratedTokensTotal { get; }

    /// <summary>The context (KV cells) the slots share; null for a backend that does not know it.</summary>
    int? ContextSize { get; }

    /// <summary>
    /// Tokens whose KV cells the backend holds now (slots' cached prompts and replies, resident named caches): the
    /// numerator of the KV usage gauges of <c>/metrics</c>. Null for a backend that does not know it.
    /// </summary>
    int? KvTokensInUse => null;

    /// <summary>The automatic prompt cache in host memory (<c>/status</c>); null for a backend without one.</summary>
    HostCacheUsage? HostCache => null;

    /// <summary>Where the local engine's loop spent its time (<c>/status</c>); null for a backend without one.</summary>
    StepTimings? Steps => null;
}
