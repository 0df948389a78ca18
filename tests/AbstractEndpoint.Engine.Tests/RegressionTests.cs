using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests;

/// <summary>
/// Bugs found in src while writing the scheduler tests, now fixed. Each test pins the correct behaviour; the comment
/// above it records the bug it guards against (where it was, the input, what went wrong).
/// </summary>
public sealed class RegressionTests
{
    /// <summary>
    /// LocalChatBackend.CreateJob: <c>tokens.Length + (choices * Math.Max(maxNew, 1)) &gt; contextSize</c> is computed
    /// in unchecked int arithmetic, so a huge max_tokens (the parser allows up to int.MaxValue) wraps negative and
    /// passes the context check; the job is queued with MaxNewTokens = int.MaxValue instead of a 400.
    /// </summary>
    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(1, int.MaxValue - 5)]
    [InlineData(2, 1 << 30)]
    [InlineData(3, 1_000_000_000)]
    public void Huge_max_tokens_is_a_context_overflow_not_an_accepted_job(int choices, int maxTokens)
    {
        using var harness = new BackendHarness(contextSize: 64, sequenceCount: 4);
        var request = FakeChatTemplate.UserRequest("Hi", maxTokens) with { Choices = choices };

        var error = Record.Exception(() => harness.Backend.CreateJob(request, CancellationToken.None));

        Assert.IsType<ContextOverflowException>(error);
    }

    /// <summary>
    /// With n &gt; 1 only the first choice's slot reuses the cached prefix, and forks report CachedTokens = 0
    /// (InferenceLoop.AssignWaitingJobs assigns forks with reusedTokens 0). The host folds choice usages with
    /// UsageTotal, which keeps the first finished choice's CachedTokens, so the request's
    /// prompt_tokens_details.cached_tokens depends on which choice finishes first: here the fork (slot 0) finishes
    /// in the same step as the primary (slot 1) but is sampled first, and the request reports 0 instead of 14.
    /// </summary>
    [Fact]
    public async Task Request_usage_of_several_choices_reports_the_reused_prefix_whichever_choice_ends_first()
    {
        using var harness = new LoopHarness(sequenceCount: 2);
        await harness.RunAsync(FakeVocabulary.BytesOf("unrelated"), 2);                    // slot 0
        await harness.RunAsync(FakeVocabulary.BytesOf("shared prefix one"), 2);            // slot 1
        var job = new GenerationJob
        {
            PromptTokens = FakeVocabulary.BytesOf("shared prefix two"),                   // primary: slot 1, fork: slot 0
            MaxNewTokens = 3,
            Choices = 2,
            Sampling = new SamplingOptions { Temperature = 0 },
        };
        harness.Loop.Submit(job);

        var outcome = await ChoiceOutcomes.CollectAsync(job);
        var total = new UsageTotal();
        foreach (var finished in outcome.Finishes)
        {
            total.Add(finished.Usage);
        }

        Assert.Equal(14, total.Total!.CachedTokens); // "shared prefix "
    }

    /// <summary>
    /// InferenceLoop.AssignWaitingJobs turns idle slots into fork slots (phase AwaitingFork) without dropping their
    /// old cached cells; they are only removed when the fork happens (ForkFinishedPrompts). Meanwhile
    /// EvictIdleCaches only evicts Idle slots, so when the primary's prefill hits NoKvSlot, the fork slot's stale
    /// cells are not freed and the job fails with kv_cache_full although it fits once they are gone.
    /// Here: KV capacity 40, slot 0 keeps 30 stale cells, an n = 2 job needs 20 + 2 × 4 = 28 cells.
    /// </summary>
    [Fact]
    public async Task Stale_cells_of_a_slot_waiting_for_a_fork_are_evicted_before_failing_for_lack_of_kv()
    {
        using var harness = new LoopHarness(contextSize: 64, sequenceCount: 2);
        harness.Runtime.KvCapacity = 40;
        await harness.RunAsync(FakeVocabulary.BytesOf(new string('s', 30)), 1);           // slot 0 keeps 30 cells
        var job = new GenerationJob
        {
            PromptTokens = FakeVocabulary.BytesOf(new string('N', 20)),
            MaxNewTokens = 5,
            Choices = 2,
            Sampling = new SamplingOptions { Temperature = 0 },
        };
        harness.Loop.Submit(job);

        var outcome = await ChoiceOutcomes.CollectAsync(job);

        Assert.Null(outcome.Failed?.Error);
        Assert.Equal(2, outcome.Finishes.Count);
    }

    /// <summary>
    /// InferenceLoop.Step, <c>default:</c> branch: a Failed decode calls FailActiveJobs, which fails every job
    /// holding a slot, including jobs with no row in the failed batch (e.g. a prompt still waiting for prefill
    /// budget). Only the jobs in the batch have unusable outputs or unknown KV state.
    /// Here: batch size 16; A (40-token prompt, older) fills the failed batch; B (40 tokens) was not in it.
    /// </summary>
    [Fact]
    public async Task Failed_decode_spares_jobs_that_had_no_row_in_the_batch()
    {
        using var harness = new LoopHarness(batchSize: 16, sequenceCount: 3);
        GenerationJob inBatch, notInBatch;
        using (var first = harness.Runtime.HoldNextDecode())
        {
            var blocker = harness.Submit(FakeVocabulary.BytesOf("x"), 1);
            await first.Entered.WaitAsync(JobEventReader.Timeout);
            inBatch = harness.Submit(FakeVocabulary.BytesOf(new string('A', 40)), 3);
            notInBatch = harness.Submit(FakeVocabulary.BytesOf(new string('B', 40)), 3);
            using var second = harness.Runtime.HoldNextDecode();
            first.Release();
            await second.Entered.WaitAsync(JobEventReader.Timeout);
            harness.Runtime.ForceNextDecodes(DecodeStatus.Failed);
            second.Release();
            await blocker.CollectAsync();
        }

        var failed = await inBatch.CollectAsync();
        var spared = await notInBatch.CollectAsync();

        Assert.False(harness.Runtime.Batches[1].Contains(2)); // B really had no row in the failed decode
        Assert.NotNull(failed.Failed);
        Assert.Null(spared.Failed?.Error);
        Assert.Equal(harness.ReferenceText(FakeVocabulary.BytesOf(new string('B', 40)), 3), spared.Text);
    }

    /// <summary>
    /// InferenceLoop.AssignWaitingJobs with an empty GenerationJob.PromptTokens (a public type; Submit does not
    /// validate it): reuse = Min(prefix, Count - 1) = -1, then RemoveTokens(seq, -1, -1) and
    /// Cached.RemoveRange(-1, …) throws ArgumentOutOfRangeException. Run's catch fails every other active job, and
    /// the empty job, already removed from the queue, never gets an event: its reader waits forever.
    /// Expected: Submit rejects it (ArgumentException) or the job alone fails.
    /// </summary>
    [Fact]
    public async Task Job_with_an_empty_prompt_is_refused_without_harming_running_jobs()
    {
        using var harness = new LoopHarness(sequenceCount: 2);
        var empty = LoopHarness.Job([], 3);
        GenerationJob running;
        Exception? refused;
        using (var hold = harness.Runtime.HoldNextDecode())
        {
            running = harness.Submit(FakeVocabulary.BytesOf("running"), 50);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            refused = Record.Exception(() => harness.Loop.Submit(empty));
            hold.Release();
        }

        var runningOutcome = await running.CollectAsync();

        Assert.Null(runningOutcome.Failed?.Error);
        Assert.Equal(harness.ReferenceText(FakeVocabulary.BytesOf("running"), 50), runningOutcome.Text);
        if (refused is null)
        {
            var completed = await Task.WhenAny(empty.Events.Completion, Task.Delay(TimeSpan.FromSeconds(2)));
            Assert.True(completed == empty.Events.Completion, "the empty job's events never completed");
            Assert.NotNull((await empty.CollectAsync()).Failed);
        }
        else
        {
            Assert.IsAssignableFrom<ArgumentException>(refused);
        }
    }
}
