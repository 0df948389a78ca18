using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>When the shared KV cache is full: idle prefixes go first, then the newest job.</summary>
public sealed class KvPressureTests
{
    [Fact]
    public async Task No_kv_slot_evicts_idle_caches_and_retries_the_same_batch()
    {
        using var harness = new LoopHarness(contextSize: 32, sequenceCount: 2);
        await harness.RunAsync(FakeVocabulary.BytesOf("0123456789"), 5); // leaves 14 cells in slot 0
        var prompt = FakeVocabulary.BytesOf("ABCDEFGHIJKLMNOPQRST");

        var outcome = await harness.RunAsync(prompt, 5); // 14 + 20 > 32

        Assert.Equal(harness.ReferenceText(prompt, 5), outcome.Text);
        Assert.Equal(FinishReason.Length, outcome.RequireFinished().Reason);
        var batches = harness.Runtime.Batches;
        var refused = Assert.Single(batches, b => b.Status == DecodeStatus.NoKvSlot);
        Assert.Equal(refused.Rows, batches[refused.Index + 1].Rows);
        Assert.Equal(DecodeStatus.Ok, batches[refused.Index + 1].Status);
        Assert.Contains(new TokenRemoval(0, 0, -1), harness.Runtime.Removals);
        Assert.Empty(harness.Runtime.KvTokens(0));
        Assert.Equal([.. prompt, .. harness.Runtime.ReferenceReply(prompt, 5).Take(4)], harness.Runtime.KvTokens(1));
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task When_nothing_idle_remains_the_newest_job_fails_busy_and_the_older_one_finishes()
    {
        using var harness = new LoopHarness(contextSize: 64, sequenceCount: 2);
        harness.Runtime.KvCapacity = 40; // each job alone needs 10 + 19 cells; both together do not fit
        int[] olderPrompt = FakeVocabulary.BytesOf("older....."), newerPrompt = FakeVocabulary.BytesOf("newer.....");

        JobOutcome older, newer;
        using (var hold = harness.Runtime.HoldNextDecode())
        {
            var olderJob = harness.Submit(olderPrompt, 20);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var newerJob = harness.Submit(newerPrompt, 20);
            hold.Release();
            (older, newer) = (await olderJob.CollectAsync(), await newerJob.CollectAsync());
        }

        var busy = Assert.IsType<ServerBusyException>(newer.Failed?.Error);
        Assert.Equal("kv_cache_full", busy.Code);
        Assert.Equal(harness.ReferenceText(olderPrompt, 20), older.Text);
        Assert.Equal(new Usage(10, 20, 0), older.RequireFinished().Usage);
        Assert.Contains(new TokenRemoval(1, 0, -1), harness.Runtime.Removals);
        Assert.Empty(harness.Runtime.KvTokens(1));
        Assert.All(harness.Runtime.Batches, b => Assert.True(b.Status != DecodeStatus.Failed, b.ToString()));
        Assert.Empty(harness.Runtime.Violations);
        await harness.WaitIdleAsync();
    }

    [Fact]
    public async Task Slot_of_a_job_failed_for_lack_of_kv_serves_the_next_job_from_scratch()
    {
        using var harness = new LoopHarness(contextSize: 64, sequenceCount: 1);
        var prompt = FakeVocabulary.BytesOf("short");
        harness.Runtime.ForceNextDecodes(DecodeStatus.NoKvSlot);

        var failed = await harness.RunAsync(prompt, 3);
        var retried = await harness.RunAsync(prompt, 3);

        Assert.IsType<ServerBusyException>(failed.Failed?.Error);
        Assert.Equal(0, retried.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(prompt, 3), retried.Text);
        Assert.Empty(harness.Runtime.Violations);
    }
}
