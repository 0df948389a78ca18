namespace AbstractEndpoint.Core.Backends;

/// <summary>What a backend reports about its own load (<c>/slots</c>; later <c>/props</c> and <c>/metrics</c>).</summary>
public interface IBackendStatus
{
    /// <summary>One snapshot per slot, in slot order; empty for a backend without local slots.</summary>
    IReadOnlyList<SlotSnapshot> Slots { get; }

    /// <summary>Requests accepted and not yet finished: waiting for a slot or being served.</summary>
    int PendingRequests { get; }
}
