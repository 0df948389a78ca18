using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>
/// The wave hold (<see cref="WaveHold"/>) in the loop, on a fake runtime whose decodes "cost" fixed + per-token × rows
/// on a fake clock, so every step's size is determined: requests that arrive together at an idle server get their
/// prompts computed one after another, and their streams decode together once the last one is done.
/// </summary>
public sealed class WaveHoldLoopTests
{
    private const int BatchSize = 64;
    private const int Streams = 4;
    private const double TargetMs = 20;

    private static int[] LongPrompt(int length, char first = 'A') =>
        [.. Enumerable.Range(0, length).Select(i => first + (i % 26))];

    /// <summary>Three prompts of 40–42 tokens, each more than the target lets share a step with another.</summary>
    private static int[][] ThreePrompts() => [LongPrompt(40), LongPrompt(41, 'B'), LongPrompt(42, 'C')];

    private static LoopHarness Harness(int waveHoldTokens, FakeStepClock clock)
    {
        var harness = new LoopHarness(
            contextSize: 4096, batchSize: BatchSize, sequenceCount: Streams + 1,
            options: new SchedulerOptions { TargetItlMs = TargetMs, PrefillChunkWhileGenerating = 16, WaveHoldTokens = waveHoldTokens },
            stepClock: clock);
        harness.Runtime.Decoding = rows => clock.Advance(5 + rows);
        return harness;
    }

    /// <summary>
    /// Submits <paramref name="prompts"/> together while the loop is held inside a one-token job's step, so they are
    /// all admitted at once into an otherwise idle loop; returns the batches decoded after that step.
    /// </summary>
    private static async Task<List<RecordedBatch>> RunTogetherAsync(LoopHarness harness, IReadOnlyList<int[]> prompts, int maxNewTokens = 3)
    {
        await harness.RunAsync(FakeVocabulary.BytesOf("warm"), 3); // the cost model has measured steps
        var hold = harness.Runtime.HoldNextDecode();
        var blocker = harness.Submit(FakeVocabulary.BytesOf("b"), 1);
        await hold.Entered.WaitAsync(JobEventReader.Timeout);
        var jobs = prompts.Select(p => harness.Submit(p, maxNewTokens)).ToList();
        var from = harness.Runtime.Batches.Count + 1;
        hold.Release();
        await blocker.CollectAsync();
        foreach (var (job, prompt) in jobs.Zip(prompts))
        {
            Assert.Equal(harness.ReferenceText(prompt, maxNewTokens), (await job.CollectAsync()).Text);
        }

        hold.Dispose();
        return [.. harness.Runtime.Batches.Skip(from)];
    }

    /// <summary>True when the batch carries a decode row: a row past its sequence's prompt.</summary>
    private static bool Decodes(RecordedBatch batch, IReadOnlyDictionary<int, int> promptLengths) =>
        batch.Rows.Any(r => r.Position >= promptLengths[r.Sequence]);

    private static Dictionary<int, int> PromptLengths(IEnumerable<RecordedBatch> prefill) =>
        prefill.ToDictionary(b => b.Rows[0].Sequence, b => b.Count);

    [Fact]
    public async Task A_wave_is_computed_prompt_by_prompt_and_its_streams_then_decode_together()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(waveHoldTokens: 1000, clock);
        var prompts = ThreePrompts();

        var batches = await RunTogetherAsync(harness, prompts);

        // Each prompt whole and alone, oldest first, with no stream decoding beside the later ones.
        Assert.Equal([40, 41, 42], batches.Take(3).Select(b => b.Count));
        Assert.All(batches.Take(3), b => Assert.Single(b.Sequences));
        var lengths = PromptLengths(batches.Take(3));
        Assert.Equal(3, lengths.Count);
        Assert.DoesNotContain(batches.Take(3), b => Decodes(b, lengths));
        // Then every stream in every step, together to the end (3 tokens: two decode steps after the first token).
        Assert.All(batches.Skip(3), b => Assert.Equal(lengths.Keys.Order(), b.Sequences.Order()));
        Assert.Equal(2, batches.Count - 3);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Without_the_hold_the_first_stream_starts_beside_the_next_prompt()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(waveHoldTokens: 0, clock);
        var prompts = ThreePrompts();

        var batches = await RunTogetherAsync(harness, prompts);

        Assert.Equal(40, batches[0].Count);
        // Its first token beside as much of the second prompt as the target leaves (20 - 5 - 1).
        Assert.Equal(15, batches[1].Count);
        Assert.Equal(2, batches[1].Sequences.Count);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_wave_whose_remaining_prompts_exceed_the_limit_does_not_hold_its_first_stream()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(waveHoldTokens: 82, clock);
        var prompts = ThreePrompts();

        var batches = await RunTogetherAsync(harness, prompts);

        // After the first prompt, 83 tokens are left: over the limit, so the first stream starts at once.
        Assert.Equal(40, batches[0].Count);
        Assert.Equal(2, batches[1].Sequences.Count);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_request_that_arrives_while_a_stream_runs_does_not_hold_it()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(waveHoldTokens: 1000, clock);
        await harness.RunAsync(FakeVocabulary.BytesOf("warm"), 3);
        var first = LongPrompt(30);
        var (running, decoding) = await harness.SubmitAndHoldAfterFirstTokenAsync(() => harness.Submit(first, 20));
        var runningSequence = harness.Runtime.Batches[^1].Rows[0].Sequence;
        var late = LongPrompt(50, 'L');
        var newcomer = harness.Submit(late, 2);
        var from = harness.Runtime.Batches.Count;
        decoding.Release();

        Assert.Equal(harness.ReferenceText(first, 20), (await running.CollectAsync()).Text);
        Assert.Equal(harness.ReferenceText(late, 2), (await newcomer.CollectAsync()).Text);
        decoding.Dispose();
        // Every step that computes the newcomer's prompt also carries the running stream's next token.
        var newcomerPrefill = harness.Runtime.Batches.Skip(from)
            .Where(b => b.Rows.Any(r => r.Sequence != runningSequence && r.Position < late.Length)).ToList();
        Assert.NotEmpty(newcomerPrefill);
        Assert.All(newcomerPrefill, b => Assert.Contains(runningSequence, b.Sequences));
        Assert.Empty(harness.Runtime.Violations);
    }

    [Theory]
    [InlineData(SchedulerOptions.AutoWaveHold, 512, 2048)]
    [InlineData(0, 512, 0)]
    [InlineData(300, 512, 300)]
    public void The_limit_is_four_batches_when_automatic(int configured, int batchSize, int expected) =>
        Assert.Equal(expected, WaveHold.Limit(configured, batchSize));
}
