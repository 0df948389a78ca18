using System.Collections.Immutable;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Every named cache's sequence as of the loop's last change, published whole after each change: readers on any
/// thread see a consistent picture without a lock, and nothing needs to poll the loop to mirror it.
/// </summary>
public sealed class CacheTableSnapshot
{
    internal CacheTableSnapshot(ImmutableDictionary<int, CacheSequenceInfo> bySequence) => BySequence = bySequence;

    public static CacheTableSnapshot Empty { get; } = new(ImmutableDictionary<int, CacheSequenceInfo>.Empty);

    public IReadOnlyDictionary<int, CacheSequenceInfo> BySequence { get; }

    /// <summary>The sequence's state when <paramref name="owner"/> still holds it; null once it was freed or reused.</summary>
    public CacheSequenceInfo? Find(int sequence, long owner) =>
        BySequence.TryGetValue(sequence, out var info) && info.Owner == owner ? info : null;
}
