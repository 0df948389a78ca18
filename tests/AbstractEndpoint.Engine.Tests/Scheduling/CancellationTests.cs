using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>A cancelled job frees its slot promptly, whether it was generating or still queued.</summary>
public sealed class CancellationTests : IDisposable
{
    private const int EndlessTokens = 1 << 19;

    private readonly LoopHarness _harness = new(contextSize: 1 << 20, sequenceCount: 1);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Cancelling_a_generating_job_frees_its_slot_for_the_queued_one()
    {
        using var cancellation = new CancellationTokenSource();
        var (generating, hold) = await _harness.SubmitAndHoldAfterFirstTokenAsync(
            () => _harness.Submit(FakeVocabulary.BytesOf("endless"), EndlessTokens, cancellationToken: cancellation.Token));
        using (hold)
        {
            var queued = _harness.Submit(FakeVocabulary.BytesOf("QUEUED"), 3);
            await cancellation.CancelAsync();
            hold.Release();

            var cancelled = await generating.CollectAsync();
            var next = await queued.CollectAsync();

            Assert.True(cancelled.EndedSilently);
            Assert.Equal(2, cancelled.Pieces.Count); // the first token, then the one sampled by the step in flight
            Assert.Equal(_harness.ReferenceText(FakeVocabulary.BytesOf("QUEUED"), 3), next.Text);
        }

        await _harness.WaitIdleAsync();
        Assert.Equal(0, _harness.Loop.Pending);
        Assert.Equal(2, _harness.Runtime.DisposedSamplers);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Job_cancelled_during_a_decode_gets_no_further_step()
    {
        using var cancellation = new CancellationTokenSource();
        var queuedPrompt = FakeVocabulary.BytesOf("QUEUED");
        var (generating, hold) = await _harness.SubmitAndHoldAfterFirstTokenAsync(
            () => _harness.Submit(FakeVocabulary.BytesOf("endless"), EndlessTokens, cancellationToken: cancellation.Token));
        int heldIndex;
        GenerationJob queued;
        using (hold)
        {
            queued = _harness.Submit(queuedPrompt, 3);
            heldIndex = _harness.Runtime.Batches.Count; // the held decode is recorded once it returns
            await cancellation.CancelAsync();
            hold.Release();
        }

        await generating.CollectAsync();
        await queued.CollectAsync();

        // The step in flight completes; the very next decode already serves the queued job from position 0.
        Assert.Equal(1, heldIndex);
        var next = _harness.Runtime.Batches[heldIndex + 1];
        Assert.Equal(queuedPrompt, next.Rows.Select(r => r.Token));
        Assert.Equal(0, next.Rows[0].Position);
        Assert.Contains(new TokenRemoval(0, 0, -1), _harness.Runtime.Removals);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_removes_it_and_the_next_one_runs()
    {
        using var cancellation = new CancellationTokenSource();
        JobOutcome first, cancelled, third;
        using (var hold = _harness.Runtime.HoldNextDecode())
        {
            var firstJob = _harness.Submit(FakeVocabulary.BytesOf("first"), 3);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var cancelledJob = _harness.Submit(FakeVocabulary.BytesOf("QQQ"), 3, cancellationToken: cancellation.Token);
            var thirdJob = _harness.Submit(FakeVocabulary.BytesOf("third"), 3);
            await cancellation.CancelAsync();
            hold.Release();
            (first, cancelled, third) = (await firstJob.CollectAsync(), await cancelledJob.CollectAsync(), await thirdJob.CollectAsync());
        }

        Assert.True(cancelled.EndedSilently);
        Assert.Empty(cancelled.Pieces);
        Assert.DoesNotContain(_harness.Runtime.Batches.SelectMany(b => b.Rows), r => r.Token == 'Q');
        Assert.Equal(_harness.ReferenceText(FakeVocabulary.BytesOf("first"), 3), first.Text);
        Assert.Equal(_harness.ReferenceText(FakeVocabulary.BytesOf("third"), 3), third.Text);
        await _harness.WaitIdleAsync();
        Assert.Equal(2, _harness.Runtime.SamplerRequests.Count); // the cancelled job never got a sampler
    }

    [Fact]
    public async Task Job_cancelled_before_submission_never_runs()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var outcome = await _harness.Submit(FakeVocabulary.BytesOf("too late"), 3, cancellationToken: cancellation.Token).CollectAsync();

        Assert.True(outcome.EndedSilently);
        await _harness.WaitIdleAsync();
        Assert.Empty(_harness.Runtime.Batches);
    }
}
