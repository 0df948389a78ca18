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

        var steps = PrefillStepsOf(harness, Streams, prompt.Length, from);
        Assert.Equal(prompt.Length / StepBudget.MinimumPrefill, steps.Count);
        Assert.All(steps, b => Assert.Equal(StepBudget.MinimumPrefill, b.RowsOf(Streams).Count));
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
}
