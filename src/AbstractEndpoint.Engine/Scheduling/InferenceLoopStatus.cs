using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>The loop's slots and queue as the backend-neutral <see cref="IBackendStatus"/>.</summary>
public sealed class InferenceLoopStatus(InferenceLoop loop) : IBackendStatus
{
    public IReadOnlyList<SlotSnapshot> Slots =>
        [.. loop.Slots.Select(s => new SlotSnapshot(s.Id, Activity(s.Phase), s.CachedTokens, s.PromptTokens, s.GeneratedTokens))];

    public int PendingRequests => loop.Pending;

    public int QueuedRequests => loop.Queued;

    public long GeneratedTokensTotal => loop.GeneratedTokensTotal;

    public int? ContextSize => loop.ContextSize;

    // Slots' cached tokens plus resident named caches, capped at the context (shared cells are counted per sequence).
    public int? KvTokensInUse => Math.Min(loop.ContextSize, loop.Slots.Sum(s => s.CachedTokens) + loop.ResidentCacheTokens);

    public HostCacheUsage? HostCache
    {
        get
        {
            var host = loop.HostCache; // one snapshot, so entries and bytes agree
            return new HostCacheUsage(host.Entries, host.Bytes);
        }
    }

    public StepTimings? Steps => loop.Timings;

    private static SlotActivity Activity(SlotPhase phase) => phase switch
    {
        SlotPhase.Idle => SlotActivity.Idle,
        SlotPhase.Prefilling => SlotActivity.Prefilling,
        SlotPhase.AwaitingFork => SlotActivity.AwaitingFork,
        SlotPhase.Generating => SlotActivity.Generating,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
