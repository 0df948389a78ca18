using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>Prompts longer than the batch are fed in chunks, and never at the expense of running streams.</summary>
public sealed class ChunkedPrefillTests
{
    private const int BatchSize = 16;

    private static int[] LongPrompt(int length) => [.. Enumerable.Range(0, length).Select(i => (int)'A' + (i % 26))];

    [Fact]
    public async Task Prompt_ten_times_the_batch_is_fed_in_full_batches()
    {
        using var harness = new LoopHarness(batchSize: BatchSize, sequenceCount: 2);
        var prompt = LongPrompt(10 * BatchSize);

        var outcome = await harness.RunAsync(prompt, 3);

        var batches = harness.Runtime.Batches;
        Assert.Equal([.. Enumerable.Repeat(BatchSize, 10), 1, 1], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, prompt.Length), batches.Take(10).SelectMany(b => b.Rows).Select(r => r.Position));
        Assert.Equal(prompt, batches.Take(10).SelectMany(b => b.Rows).Select(r => r.Token));
        // Only the prompt's last token needs logits.
        Assert.Equal([prompt.Length - 1], batches.Take(10).SelectMany(b => b.Rows).Where(r => r.WantsLogits).Select(r => r.Position));
        Assert.Equal(harness.ReferenceText(prompt, 3), outcome.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Theory]
    [InlineData(8, 8)]     // the configured chunk while something generates
    [InlineData(128, 15)]  // a chunk larger than the batch is capped by the room left beside the generating slot
    public async Task Generating_slot_gets_a_token_every_step_while_another_prefills(int prefillChunk, int expectedChunk)
    {
        using var harness = new LoopHarness(
            batchSize: BatchSize, sequenceCount: 2, options: new SchedulerOptions { PrefillChunkWhileGenerating = prefillChunk });
        var shortPrompt = FakeVocabulary.BytesOf("hi!");
        var longPrompt = LongPrompt(10 * BatchSize);

        JobOutcome streaming, newcomer;
        using (var hold = harness.Runtime.HoldNextDecode())
        {
            var jobA = harness.Submit(shortPrompt, 60);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var jobB = harness.Submit(longPrompt, 2);
            hold.Release();
            (streaming, newcomer) = (await jobA.CollectAsync(), await jobB.CollectAsync());
        }

        var prefillSteps = harness.Runtime.Batches.Where(b => b.RowsOf(1).Any(r => r.Position < longPrompt.Length)).ToList();
        Assert.Equal((longPrompt.Length + expectedChunk - 1) / expectedChunk, prefillSteps.Count);
        Assert.All(prefillSteps, b =>
        {
            Assert.Single(b.RowsOf(0));
            Assert.True(b.Count <= BatchSize);
        });
        Assert.All(prefillSteps.SkipLast(1), b => Assert.Equal(expectedChunk, b.RowsOf(1).Count));
        Assert.All(harness.Runtime.Batches, b => Assert.True(b.Count <= BatchSize, b.ToString()));

        Assert.Equal(harness.ReferenceText(shortPrompt, 60), streaming.Text);
        Assert.Equal(harness.ReferenceText(longPrompt, 2), newcomer.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Two_long_prompts_are_prefilled_oldest_first()
    {
        using var harness = new LoopHarness(batchSize: BatchSize, sequenceCount: 3);
        var first = LongPrompt(40);
        var second = FakeVocabulary.BytesOf(new string('z', 40));

        JobOutcome a, b;
        using (var hold = harness.Runtime.HoldNextDecode())
        {
            // A blocker occupies the loop so both long prompts are admitted in the same step.
            var blocker = harness.Submit(FakeVocabulary.BytesOf("x"), 1);
            await hold.Entered.WaitAsync(JobEventReader.Timeout);
            var jobA = harness.Submit(first, 1);
            var jobB = harness.Submit(second, 1);
            hold.Release();
            await blocker.CollectAsync();
            (a, b) = (await jobA.CollectAsync(), await jobB.CollectAsync());
        }

        // After the blocker's decode: A, A, A+B (8 of A finish, 8 of B), B, B+…: A never waits behind B.
        var batches = harness.Runtime.Batches.Skip(1).ToList();
        var lastOfA = batches.FindLastIndex(x => x.Contains(1));
        var firstOfB = batches.FindIndex(x => x.Contains(2));
        Assert.True(firstOfB >= lastOfA, "the newer prompt started before the older one was done");
        Assert.All(batches, x => Assert.Equal(x == batches[^1] ? x.Count : BatchSize, x.Count));
        Assert.Equal(harness.ReferenceText(first, 1), a.Text);
        Assert.Equal(harness.ReferenceText(second, 1), b.Text);
        Assert.Empty(harness.Runtime.Violations);
    }
}
