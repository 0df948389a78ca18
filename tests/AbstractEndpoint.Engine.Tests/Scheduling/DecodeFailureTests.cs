using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>A decode that fails outright ends the jobs in it; the loop itself carries on.</summary>
public sealed class DecodeFailureTests : IDisposable
{
    private readonly LoopHarness _harness = new(sequenceCount: 2);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Failed_decode_fails_the_jobs_in_the_batch_and_the_loop_keeps_serving()
    {
        JobOutcome a, b;
        using (var first = _harness.Runtime.HoldNextDecode())
        {
            var jobA = _harness.Submit(FakeVocabulary.BytesOf("job a"), 10);
            await first.Entered.WaitAsync(JobEventReader.Timeout);
            var jobB = _harness.Submit(FakeVocabulary.BytesOf("job b"), 10);
            using var second = _harness.Runtime.HoldNextDecode();
            first.Release();
            await second.Entered.WaitAsync(JobEventReader.Timeout); // A's first token and B's prompt
            _harness.Runtime.ForceNextDecodes(DecodeStatus.Failed);
            second.Release();
            (a, b) = (await jobA.CollectAsync(), await jobB.CollectAsync());
        }

        var failedBatch = _harness.Runtime.Batches[1];
        Assert.Equal(DecodeStatus.Failed, failedBatch.Status);
        Assert.Equal(new HashSet<int> { 0, 1 }, failedBatch.Sequences);
        Assert.IsType<InvalidOperationException>(a.Failed?.Error);
        Assert.IsType<InvalidOperationException>(b.Failed?.Error);
        Assert.Contains(new TokenRemoval(0, 0, -1), _harness.Runtime.Removals);
        Assert.Contains(new TokenRemoval(1, 0, -1), _harness.Runtime.Removals);

        var prompt = FakeVocabulary.BytesOf("job a again");
        var after = await _harness.RunAsync(prompt, 4);

        Assert.Equal(_harness.ReferenceText(prompt, 4), after.Text);
        Assert.Equal(0, after.RequireFinished().Usage.CachedTokens); // the failed sequence was wiped, nothing reused
        Assert.Empty(_harness.Runtime.Violations);
        await _harness.WaitIdleAsync();
    }

    [Fact]
    public async Task Exception_thrown_by_the_runtime_fails_the_job_and_the_loop_survives()
    {
        var crash = new InvalidOperationException("native crash");
        _harness.Runtime.NextToken = (token, position) => token == 'X' ? throw crash : FakeModelRuntime.LetterModel(token, position);

        var crashed = await _harness.RunAsync(FakeVocabulary.BytesOf("say X"), 4);
        var after = await _harness.RunAsync(FakeVocabulary.BytesOf("next"), 3);

        Assert.Same(crash, crashed.Failed?.Error);
        Assert.Equal(_harness.ReferenceText(FakeVocabulary.BytesOf("next"), 3), after.Text);
        Assert.Empty(_harness.Runtime.Violations);
    }
}
