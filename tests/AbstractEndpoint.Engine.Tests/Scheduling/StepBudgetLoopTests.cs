using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>
/// The step budget in the loop, on a fake runtime whose decodes "cost" fixed + per-token × rows on a fake clock:
/// the loop measures exactly those costs, so every step's size is determined (no sleeps, no wall clock).
/// </summary>
public sealed class StepBudgetLoopTests
{
    private const int BatchSize = 64;
    private const int Streams = 4;
    private const double FixedMs = 5;
    private const double PerTokenMs = 1;

    /// <summary>Small enough that one newcomer's share of it beside 4 streams (3 tokens) is below the fits tested.</summary>
    private const int Chunk = 16;

    private static int[] LongPrompt(int length) => [.. Enumerable.Range(0, length).Select(i => (int)'A' + (i % 26))];

    private static double Cost(int rows) => FixedMs + (PerTokenMs * rows);

    private static LoopHarness Harness(double targetMs, FakeStepClock clock, Func<int, int, double>? cost = null)
    {
        cost ??= (_, rows) => Cost(rows);
        var harness = new LoopHarness(
            contextSize: 4096, batchSize: BatchSize, sequenceCount: Streams + 1,
            options: new SchedulerOptions { TargetItlMs = targetMs, PrefillChunkWhileGenerating = Chunk }, stepClock: clock);
        var decodes = 0;
        harness.Runtime.Decoding = rows => clock.Advance(cost(decodes++, rows));
        return harness;
    }

    /// <summary>
    /// Starts <see cref="Streams"/> streams, lets them all generate for a step, then submits the newcomer at a
    /// known point (inside a held decode) and collects everything.
    /// </summary>
    private static async Task<(List<JobOutcome> Streams, JobOutcome Newcomer, int FirstStepAfterNewcomer)> RunNewcomerAsync(
        LoopHarness harness, int[] newcomerPrompt, int streamTokens)
    {
        var streams = new List<GenerationJob>();
        var first = harness.Runtime.HoldNextDecode();
        streams.Add(harness.Submit(FakeVocabulary.BytesOf("s0!"), streamTokens));
        await first.Entered.WaitAsync(JobEventReader.Timeout);
        for (var i = 1; i < Streams; i++)
        {
            streams.Add(harness.Submit(FakeVocabulary.BytesOf($"s{i}!"), streamTokens));
        }

        // Step 2 takes the other prompts beside stream 0's token; step 3 is the first with every stream generating.
        var second = harness.Runtime.HoldNextDecode();
        first.Release();
        await second.Entered.WaitAsync(JobEventReader.Timeout);
        var third = harness.Runtime.HoldNextDecode();
        second.Release();
        await third.Entered.WaitAsync(JobEventReader.Timeout);
        var newcomer = harness.Submit(newcomerPrompt, 2);
        var firstStepAfterNewcomer = harness.Runtime.Batches.Count + 1;
        third.Release();

        var outcomes = new List<JobOutcome>();
        foreach (var job in streams)
        {
            outcomes.Add(await job.CollectAsync());
        }

        var newcomerOutcome = await newcomer.CollectAsync();
        first.Dispose();
        second.Dispose();
        third.Dispose();
        return (outcomes, newcomerOutcome, firstStepAfterNewcomer);
    }

    private static List<RecordedBatch> PrefillStepsOf(LoopHarness harness, int sequence, int promptLength, int from) =>
        [.. harness.Runtime.Batches.Skip(from).Where(b => b.RowsOf(sequence).Any(r => r.Position < promptLength))];

    [Fact]
    public async Task A_lone_prompt_gets_the_whole_batch()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(targetMs: 20, clock);
        await harness.RunAsync(FakeVocabulary.BytesOf("warm"), 3); // the cost model has measured steps
        var prompt = LongPrompt(5 * BatchSize);
        var before = harness.Runtime.Batches.Count;

        var outcome = await harness.RunAsync(prompt, 2);

        var prefill = harness.Runtime.Batches.Skip(before).Take(5).ToList();
        Assert.All(prefill, b => Assert.Equal(BatchSize, b.Count));
        Assert.Equal(harness.ReferenceText(prompt, 2), outcome.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task With_streams_running_no_step_exceeds_the_target_and_the_prompt_fills_the_rest()
    {
        const double target = 20;
        var clock = new FakeStepClock();
        using var harness = Harness(target, clock);
        var prompt = LongPrompt(100);

        var (streams, newcomer, from) = await RunNewcomerAsync(harness, prompt, streamTokens: 60);

        var steps = PrefillStepsOf(harness, Streams, prompt.Length, from);
        Assert.NotEmpty(steps);
        Assert.All(steps, b =>
        {
            Assert.Equal(Streams + 1, b.Sequences.Count);
            Assert.True(Cost(b.Count) <= target, $"{b} costs {Cost(b.Count)} ms");
        });
        // 4 decode rows cost 9 ms of the 20: 11 prompt tokens fit, every step but the last.
        Assert.All(steps.SkipLast(1), b => Assert.Equal(11, b.RowsOf(Streams).Count));
        Assert.Equal((prompt.Length + 10) / 11, steps.Count);
        Assert.Equal(harness.ReferenceText(prompt, 2), newcomer.Text);
        for (var i = 0; i < Streams; i++)
        {
            Assert.Equal(harness.ReferenceText(FakeVocabulary.BytesOf($"s{i}!"), 60), streams[i].Text);
        }

        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Prefill_progresses_even_when_the_decode_rows_alone_exceed_the_target()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(targetMs: 5, clock);
        var prompt = LongPrompt(40);

        var (_, newcomer, from) = await RunNewcomerAsync(harness, prompt, streamTokens: 30);

        // The other streams' prompts also go at the floor here, so the newcomer may share a step with the last of
        // them: at most the floor's worth a step, every step until its prompt is computed.
        var steps = PrefillStepsOf(harness, Streams, prompt.Length, from);
        Assert.All(steps, b => Assert.InRange(b.RowsOf(Streams).Count, 1, StepBudget.MinimumPrefill));
        Assert.InRange(steps.Count, prompt.Length / StepBudget.MinimumPrefill, (prompt.Length / StepBudget.MinimumPrefill) + 1);
        Assert.Equal(prompt.Length, steps.Sum(b => b.RowsOf(Streams).Count));
        Assert.Equal(harness.ReferenceText(prompt, 2), newcomer.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task When_steps_get_slower_the_prompt_share_shrinks()
    {
        const double target = 20;
        const int slowFrom = 6; // the newcomer's third prefill step onwards runs on a machine twice as slow
        var clock = new FakeStepClock();
        using var harness = Harness(target, clock, (decode, rows) => (decode >= slowFrom ? 2 : 1) * Cost(rows));
        var prompt = LongPrompt(120);

        var (_, newcomer, from) = await RunNewcomerAsync(harness, prompt, streamTokens: 60);

        var chunks = PrefillStepsOf(harness, Streams, prompt.Length, from).Select(b => b.RowsOf(Streams).Count).ToList();
        Assert.Equal(11, chunks[0]);
        // Twice as slow: 4 decode rows cost 18 ms of the 20, so only the floor is left once the fit has caught up.
        Assert.Equal(StepBudget.MinimumPrefill, chunks[^2]);
        Assert.True(chunks.Count > 10, string.Join(",", chunks));
        Assert.Equal(harness.ReferenceText(prompt, 2), newcomer.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    /// <summary>
    /// Submits <paramref name="prompts"/> together while the loop is held inside a one-token job's step, so they are
    /// all admitted at once into an otherwise idle loop, and returns the batches decoded after that step.
    /// </summary>
    private static async Task<List<RecordedBatch>> RunTogetherAsync(LoopHarness harness, IReadOnlyList<int[]> prompts)
    {
        await harness.RunAsync(FakeVocabulary.BytesOf("warm"), 3); // the cost model has measured steps
        var hold = harness.Runtime.HoldNextDecode();
        var blocker = harness.Submit(FakeVocabulary.BytesOf("b"), 1);
        await hold.Entered.WaitAsync(JobEventReader.Timeout);
        var jobs = prompts.Select(p => harness.Submit(p, 2)).ToList();
        var from = harness.Runtime.Batches.Count + 1;
        hold.Release();
        await blocker.CollectAsync();
        foreach (var (job, prompt) in jobs.Zip(prompts))
        {
            Assert.Equal(harness.ReferenceText(prompt, 2), (await job.CollectAsync()).Text);
        }

        hold.Dispose();
        return [.. harness.Runtime.Batches.Skip(from)];
    }

    /// <summary>Rows of each sequence in the batch, in the order the planner added them.</summary>
    private static int[] RowsPerSequence(RecordedBatch batch) => [.. batch.Rows.GroupBy(r => r.Sequence).Select(g => g.Count())];

    [Fact]
    public async Task With_nothing_generating_the_oldest_prompt_goes_alone_and_its_stream_starts_first()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(targetMs: 20, clock);
        int[][] prompts = [LongPrompt(40), LongPrompt(41), LongPrompt(42)];

        var batches = await RunTogetherAsync(harness, prompts);

        // 40 tokens cost more than the target's 15 on their own: the oldest goes whole, and alone.
        Assert.Equal(40, batches[0].Count);
        Assert.Single(batches[0].Sequences);
        // Next step: its first token beside as much of the second prompt as the target leaves (20 - 5 - 1).
        Assert.Equal([1, 14], RowsPerSequence(batches[1]));
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task With_nothing_generating_short_prompts_share_a_step_as_far_as_the_target_allows()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(targetMs: 20, clock);
        int[][] prompts = [LongPrompt(5), LongPrompt(6), LongPrompt(7)];

        var batches = await RunTogetherAsync(harness, prompts);

        // 15 prompt tokens fit the target: the first two whole and 4 of the third.
        Assert.Equal(15, batches[0].Count);
        Assert.Equal([5, 6, 4], RowsPerSequence(batches[0]));
        Assert.Empty(harness.Runtime.Violations);
    }
}
