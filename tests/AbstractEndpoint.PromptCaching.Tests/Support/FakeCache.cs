using AbstractEndpoint.PromptCaching.Manager;

namespace AbstractEndpoint.PromptCaching.Tests.Support;

/// <summary>A stand-in for a KV sequence: the fragments appended to it, in order.</summary>
internal sealed class FakeCache(int id, IEnumerable<PromptCacheAppend>? fragments = null)
{
    public int Id { get; } = id;

    public List<PromptCacheAppend> Fragments { get; } = [.. fragments ?? []];

    public override string ToString() => $"cache#{Id}[{Fragments.Count}]";
}
