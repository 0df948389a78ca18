using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>The planner alone: which rows one step carries.</summary>
public sealed class BatchPlannerTests : IDisposable
{
    private readonly FakeModelRuntime _runtime = new(new FakeVocabulary());

    public void Dispose() => _runtime.Dispose();

    private Slot Prefilling(int sequence, int promptLength, int cached = 0, bool background = false)
    {
        var slot = new Slot(sequence);
        slot.Cached.AddRange(Enumerable.Repeat((int)'p', cached));
        var job = LoopHarness.Job([.. Enumerable.Range(0, promptLength).Select(i => 'a' + (i % 26))], background ? 0 : 10);
        slot.Assign(background ? new GenerationJob { PromptTokens = job.PromptTokens, Sampling = job.Sampling, MaxNewTokens = 0, Background = true } : job,
            cached, new FakeSampler(_runtime));
        return slot;
    }

    [Fact]
    public void A_background_prefill_takes_small_steps_alone()
    {
        var background = Prefilling(0, promptLength: 500, background: true);
        var batch = new TokenBatch(64);

        BatchPlanner.Plan([background], batch, prefillTokens: int.MaxValue, prefillChunk: 128);

        Assert.Equal(128 / BatchPlanner.BackgroundStepDivisor, background.PlannedPrefill);
        Assert.Equal(background.PlannedPrefill, batch.Count);
    }

    [Fact]
    public void A_background_prefill_waits_while_an_interactive_job_holds_a_slot()
    {
        // The background job is older, yet only the interactive prompt is planned.
        var background = Prefilling(0, promptLength: 500, background: true);
        var interactive = Prefilling(1, promptLength: 20);
        var batch = new TokenBatch(64);

        BatchPlanner.Plan([background, interactive], batch, prefillTokens: int.MaxValue, prefillChunk: 128);

        Assert.Equal(20, interactive.PlannedPrefill);
        Assert.Equal(0, background.PlannedPrefill);
        Assert.Equal(Enumerable.Repeat(1, 20), batch.Sequences.ToArray());
    }

    private Slot Generating(int sequence, int cached, int pending)
    {
        var slot = Prefilling(sequence, promptLength: 1);
        slot.Cached.AddRange(Enumerable.Repeat((int)'c', cached));
        slot.StartGenerating(pending);
        return slot;
    }

    [Fact]
    public void Generating_slots_get_one_row_each_at_their_next_position()
    {
        Slot[] slots = [Generating(0, cached: 7, pending: 'x'), new Slot(1), Generating(2, cached: 3, pending: 'y')];
        var batch = new TokenBatch(16);

        BatchPlanner.Plan(slots, batch, prefillTokens: 8, prefillChunk: 8);

        Assert.Equal(['x', 'y'], batch.Tokens.ToArray());
        Assert.Equal([7, 3], batch.Positions.ToArray());
        Assert.Equal([0, 2], batch.Sequences.ToArray());
        Assert.Equal([true, true], batch.WantsLogits.ToArray());
        Assert.Equal([0, -1, 1], slots.Select(s => s.LogitsRow));
    }

    [Fact]
    public void Prefill_is_capped_by_the_step_budget()
    {
        var prefilling = Prefilling(1, promptLength: 100);
        Slot[] slots = [Generating(0, cached: 5, pending: 'x'), prefilling];
        var batch = new TokenBatch(64);

        BatchPlanner.Plan(slots, batch, prefillTokens: 8, prefillChunk: 128);

        Assert.Equal(1 + 8, batch.Count);
        Assert.Equal(8, prefilling.PlannedPrefill);
        Assert.Equal(-1, prefilling.LogitsRow); // the prompt's last token is not in this chunk
        Assert.Equal(0, prefilling.PromptCursor); // moves only once the decode succeeded
    }

    [Fact]
    public void Prefill_is_capped_by_the_batch()
    {
        var prefilling = Prefilling(0, promptLength: 100);
        var batch = new TokenBatch(64);

        BatchPlanner.Plan([prefilling], batch, prefillTokens: int.MaxValue, prefillChunk: 8);

        Assert.Equal(64, batch.Count);
        Assert.Equal(Enumerable.Range(0, 64), batch.Positions.ToArray());
    }

    [Fact]
    public void Last_prompt_chunk_wants_logits_for_its_last_row_only()
    {
        var prefilling = Prefilling(0, promptLength: 10, cached: 4);
        var batch = new TokenBatch(64);

        BatchPlanner.Plan([prefilling], batch, prefillTokens: int.MaxValue, prefillChunk: 8);

        Assert.Equal(Enumerable.Range(4, 6), batch.Positions.ToArray());
        Assert.Equal([false, false, false, false, false, true], batch.WantsLogits.ToArray());
        Assert.Equal(5, prefilling.LogitsRow);
    }

    [Fact]
    public void Older_prefill_goes_first_and_the_newer_gets_what_is_left()
    {
        var older = Prefilling(0, promptLength: 50);
        var newer = Prefilling(1, promptLength: 50);
        var batch = new TokenBatch(64);

        BatchPlanner.Plan([newer, older], batch, prefillTokens: int.MaxValue, prefillChunk: 8);

        Assert.Equal(50, older.PlannedPrefill);
        Assert.Equal(14, newer.PlannedPrefill);
        Assert.Equal(0, batch.Sequences[0]);
    }
}
