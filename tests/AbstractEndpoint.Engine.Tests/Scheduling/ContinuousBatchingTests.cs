using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>Several jobs at once: one decode per step carries a token for every generating slot.</summary>
public sealed class ContinuousBatchingTests : IDisposable
{
    private readonly LoopHarness _harness = new(sequenceCount: 4);

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Jobs_running_together_share_every_decode()
    {
        int[] promptA = FakeVocabulary.BytesOf("AAAAA"), promptB = FakeVocabulary.BytesOf("BBBBB"), promptC = FakeVocabulary.BytesOf("CCCCC");

        // A is being prefilled while B and C arrive, so all three are admitted before the second step.
        JobOutcome a, b, c;
        using (var hold = _harness.Runtime.HoldNextDecode())
        {
            var jobA = _harness.Submit(promptA, 6);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var jobB = _harness.Submit(promptB, 6);
            var jobC = _harness.Submit(promptC, 6);
            hold.Release();
            (a, b, c) = (await jobA.CollectAsync(), await jobB.CollectAsync(), await jobC.CollectAsync());
        }

        // A's prefill; A's 1st token + both prompts; then one token per slot until A ends; then B and C.
        Assert.Equal([5, 1 + 5 + 5, 3, 3, 3, 3, 2], _harness.Runtime.Batches.Select(x => x.Count));
        foreach (var batch in _harness.Runtime.Batches.Skip(2))
        {
            Assert.All(batch.Rows.GroupBy(r => r.Sequence), g => Assert.Single(g));
            Assert.All(batch.Rows, r => Assert.True(r.WantsLogits));
        }

        Assert.Equal(_harness.ReferenceText(promptA, 6), a.Text);
        Assert.Equal(_harness.ReferenceText(promptB, 6), b.Text);
        Assert.Equal(_harness.ReferenceText(promptC, 6), c.Text);
        Assert.All([a, b, c], o => Assert.Equal(new Usage(5, 6, 0), o.RequireFinished().Usage));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Each_job_keeps_its_own_kv_sequence()
    {
        int[] promptA = FakeVocabulary.BytesOf("first prompt"), promptB = FakeVocabulary.BytesOf("second one");
        using (var hold = _harness.Runtime.HoldNextDecode())
        {
            var jobA = _harness.Submit(promptA, 4);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var jobB = _harness.Submit(promptB, 7);
            hold.Release();
            await jobA.CollectAsync();
            await jobB.CollectAsync();
        }

        Assert.Equal([.. promptA, .. _harness.Runtime.ReferenceReply(promptA, 4).Take(3)], _harness.Runtime.KvTokens(0));
        Assert.Equal([.. promptB, .. _harness.Runtime.ReferenceReply(promptB, 7).Take(6)], _harness.Runtime.KvTokens(1));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Greedy_reply_is_the_same_alone_and_alongside_three_others()
    {
        var prompt = FakeVocabulary.BytesOf("The same question");
        var alone = await _harness.RunAsync(prompt, 12);

        using var together = new LoopHarness(sequenceCount: 4);
        GenerationJob[] jobs;
        using (var hold = together.Runtime.HoldNextDecode())
        {
            jobs = [together.Submit(FakeVocabulary.BytesOf("Other 1"), 20)];
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            jobs =
            [
                .. jobs,
                together.Submit(FakeVocabulary.BytesOf("Something else, longer"), 9),
                together.Submit(prompt, 12),
                together.Submit(FakeVocabulary.BytesOf("3"), 15),
            ];
            hold.Release();
        }

        var outcomes = await Task.WhenAll(jobs.Select(j => j.CollectAsync()));
        var sameJob = outcomes[2];

        Assert.Equal(alone.Text, sameJob.Text);
        Assert.Equal(alone.RequireFinished().Usage, sameJob.RequireFinished().Usage);
        Assert.Contains(together.Runtime.Batches, b => b.Sequences.Count == 4);
        Assert.Empty(together.Runtime.Violations);
    }
}
