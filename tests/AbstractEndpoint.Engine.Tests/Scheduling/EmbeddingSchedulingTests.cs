using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>
/// Embedding decodes scheduled by the inference loop (fake runtime and fake step clock, as in
/// <see cref="StepBudgetLoopTests"/>): alone they take the embedding context's whole batch; beside running streams each
/// takes at most what the step's prompt budget left, and still at least one input, so they always progress.
/// </summary>
public sealed class EmbeddingSchedulingTests
{
    private const int BatchSize = 64;
    private const int Streams = 4;
    private const int Chunk = 16;

    /// <summary>4 decode rows cost 5 + 4 = 9 ms of the 20 ms target: 11 prompt tokens fit beside them.</summary>
    private const int FitBesideStreams = 11;

    /// <summary>Records every decode: its inputs, its tokens, and how many slots were busy (read on the loop thread).</summary>
    private sealed class RecordingEmbeddingRuntime(Func<int> generating, int maxTokens = 32, int maxSequences = 64) : IEmbeddingRuntime
    {
        public List<(int Inputs, int Tokens, int Busy)> Decodes { get; } = [];

        public int Dimensions => 2;

        public int MaxBatchTokens => maxTokens;

        public int MaxSequences => maxSequences;

        public float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs)
        {
            Decodes.Add((inputs.Count, inputs.Sum(i => i.Count), generating()));
            return [.. inputs.Select(i => new float[] { i[0], i.Count })];
        }

        public void Dispose()
        {
        }
    }

    private static LoopHarness Harness(FakeStepClock clock)
    {
        var harness = new LoopHarness(
            contextSize: 4096, batchSize: BatchSize, sequenceCount: Streams + 1,
            options: new SchedulerOptions { TargetItlMs = 20, PrefillChunkWhileGenerating = Chunk }, stepClock: clock);
        harness.Runtime.Decoding = rows => clock.Advance(5 + rows);
        return harness;
    }

    private static int BusySlots(InferenceLoop loop) => loop.Slots.Count(s => s.Phase != SlotPhase.Idle);

    private static int[][] Inputs(int count, int length) =>
        [.. Enumerable.Range(0, count).Select(i => Enumerable.Range(0, length).Select(j => 'a' + ((i + j) % 26)).ToArray())];

    [Fact]
    public async Task Alone_an_embeddings_request_takes_the_whole_embedding_batch()
    {
        using var harness = Harness(new FakeStepClock());
        var runtime = new RecordingEmbeddingRuntime(() => BusySlots(harness.Loop));
        var inputs = Inputs(20, 4);

        var vectors = await harness.Loop.EmbedAsync(runtime, inputs, CancellationToken.None).WaitAsync(JobEventReader.Timeout);

        // 32 tokens per decode: 8 inputs of 4, twice, then the last 4.
        Assert.Equal([8, 8, 4], runtime.Decodes.Select(d => d.Inputs));
        Assert.All(runtime.Decodes, d => Assert.Equal(0, d.Busy));
        Assert.Equal(inputs.Select(i => (float)i[0]), vectors.Select(v => v[0]));
    }

    [Fact]
    public async Task Beside_running_streams_no_embedding_decode_exceeds_the_step_budget_and_all_inputs_complete()
    {
        var clock = new FakeStepClock();
        using var harness = Harness(clock);
        await harness.RunAsync(FakeVocabulary.BytesOf("warm"), 3); // the cost model has measured steps
        var runtime = new RecordingEmbeddingRuntime(() => BusySlots(harness.Loop));
        var hold = harness.Runtime.HoldNextDecode();
        var streams = Enumerable.Range(0, Streams).Select(i => harness.Submit(FakeVocabulary.BytesOf($"s{i}!"), 300)).ToList();
        await hold.Entered.WaitAsync(JobEventReader.Timeout);
        var inputs = Inputs(30, 3);

        var embedding = harness.Loop.EmbedAsync(runtime, inputs, CancellationToken.None);
        hold.Release();
        var vectors = await embedding.WaitAsync(JobEventReader.Timeout);
        foreach (var stream in streams)
        {
            Assert.Equal(harness.ReferenceText(FakeVocabulary.BytesOf($"s{streams.IndexOf(stream)}!"), 300), (await stream.CollectAsync()).Text);
        }

        hold.Dispose();
        var besideStreams = runtime.Decodes.Where(d => d.Busy == Streams).ToList();
        Assert.NotEmpty(besideStreams);
        // Nothing but the embeddings was ever decoded with every slot idle: no full batch beside a request.
        Assert.DoesNotContain(runtime.Decodes, d => d.Busy == 0);
        Assert.All(besideStreams, d => Assert.True(d.Tokens <= FitBesideStreams, $"{d.Tokens} tokens beside {Streams} streams"));
        // Every decode made progress; 3 inputs of 3 tokens fit the 11 a step of 4 streams leaves, fewer when a
        // stream's own prompt was still taking part of the step's budget (when that happens depends on the moment the
        // request reaches the loop).
        Assert.All(besideStreams, d => Assert.InRange(d.Inputs, 1, 3));
        Assert.Contains(besideStreams, d => d.Inputs == 3);
        Assert.Equal(30, runtime.Decodes.Sum(d => d.Inputs));
        Assert.Equal(inputs.Select(i => (float)i[0]), vectors.Select(v => v[0]));
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public void A_step_whose_prompts_used_the_whole_budget_still_embeds_one_input()
    {
        Assert.Equal(0, StepBudget.EmbeddingTokens(prefillBudget: 11, plannedPromptTokens: 11));
        Assert.Equal(5, StepBudget.EmbeddingTokens(prefillBudget: 11, plannedPromptTokens: 6));

        var inputs = Inputs(5, 3);
        Assert.Equal(1, EmbeddingPacking.End(inputs, 0, maxSequences: 64, maxTokens: 0));
        Assert.Equal(4, EmbeddingPacking.End(inputs, 3, maxSequences: 64, maxTokens: 0));
        Assert.Equal(5, EmbeddingPacking.End(inputs, 0, maxSequences: 64, maxTokens: int.MaxValue));
        Assert.Equal(2, EmbeddingPacking.End(inputs, 0, maxSequences: 2, maxTokens: int.MaxValue));
    }

    [Fact]
    public async Task A_failing_embedding_decode_fails_its_request_and_the_loop_goes_on()
    {
        using var harness = Harness(new FakeStepClock());
        var failing = new FailingEmbeddingRuntime();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Loop.EmbedAsync(failing, Inputs(2, 3), CancellationToken.None).WaitAsync(JobEventReader.Timeout));

        var outcome = await harness.RunAsync(FakeVocabulary.BytesOf("after"), 3);
        Assert.Equal(harness.ReferenceText(FakeVocabulary.BytesOf("after"), 3), outcome.Text);
    }

    private sealed class FailingEmbeddingRuntime : IEmbeddingRuntime
    {
        public int Dimensions => 2;

        public int MaxBatchTokens => 32;

        public int MaxSequences => 8;

        public float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs) => throw new InvalidOperationException("decode failed");

        public void Dispose()
        {
        }
    }
}
