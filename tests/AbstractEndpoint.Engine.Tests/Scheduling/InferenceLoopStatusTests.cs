using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>The loop as <c>IBackendStatus</c>: the KV tokens in use that <c>/metrics</c> reports.</summary>
public sealed class InferenceLoopStatusTests : IDisposable
{
    private readonly LoopHarness _harness = new(contextSize: 512, sequenceCount: 3);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Kv_tokens_in_use_are_the_cells_the_slots_keep_after_their_jobs()
    {
        var status = new InferenceLoopStatus(_harness.Loop);
        Assert.Equal(0, status.KvTokensInUse);

        await _harness.RunAsync(FakeVocabulary.BytesOf("first prompt"), 3);
        await _harness.RunAsync(FakeVocabulary.BytesOf("a different one"), 4);
        await _harness.WaitIdleAsync();

        var kept = Enumerable.Range(0, _harness.Loop.SlotCount).Sum(slot => _harness.Runtime.KvTokens(slot).Count);
        Assert.True(kept > 0);
        Assert.Equal(kept, status.KvTokensInUse);
        Assert.InRange(status.KvTokensInUse!.Value, 1, status.ContextSize!.Value);
    }
}
