using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>The step budget alone: step times go in, prompt tokens per step come out. No clock, no loop.</summary>
public sealed class StepBudgetTests
{
    // Above the fits tested, except where the chunk itself is the point.
    private const int Chunk = 16;
    private const int Slots = 8;

    private static StepBudget Budget(double? targetMs, int chunk = Chunk) =>
        new(new SchedulerOptions { TargetItlMs = targetMs, PrefillChunkWhileGenerating = chunk }, Slots);

    /// <summary>Steps of several sizes whose cost is exactly <paramref name="fixedMs"/> + <paramref name="perTokenMs"/> × tokens.</summary>
    private static void Run(StepBudget budget, double fixedMs, double perTokenMs, int steps = 30)
    {
        int[] sizes = [8, 1, 64, 8, 12, 8, 4, 8];
        for (var i = 0; i < steps; i++)
        {
            var tokens = sizes[i % sizes.Length];
            budget.Record(tokens, fixedMs + (perTokenMs * tokens));
        }
    }

    [Fact]
    public void The_cost_model_learns_the_line_from_steps_of_different_sizes()
    {
        var model = new StepCostModel();
        model.Record(8, 100);
        model.Record(64, 660);
        model.Record(1, 30);

        Assert.Equal(10, model.MillisecondsPerToken, 6);
        Assert.Equal(20, model.FixedMilliseconds, 6);
        Assert.Equal(180, model.Predict(16), 6);
    }

    [Fact]
    public void Steps_of_one_size_only_give_a_proportional_cost()
    {
        var model = new StepCostModel();
        model.Record(8, 96);
        model.Record(8, 96);

        Assert.Equal(12, model.MillisecondsPerToken, 6);
        Assert.Equal(0, model.FixedMilliseconds);
    }

    [Fact]
    public void Prefill_fills_what_the_fixed_target_leaves_beside_the_decode_rows()
    {
        var budget = Budget(targetMs: 200);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        // 8 decode rows cost 100 ms; 100 ms are left: 10 prompt tokens.
        Assert.Equal(10, budget.PrefillTokens(generating: 8, oldestPromptLeft: 100));
        Assert.Equal(14, budget.PrefillTokens(generating: 4, oldestPromptLeft: 100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_step_with_streams_running_never_exceeds_the_target(int generating)
    {
        const double target = 150;
        var budget = Budget(target);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        var prefill = budget.PrefillTokens(generating, oldestPromptLeft: 100);

        Assert.True(prefill >= StepBudget.MinimumPrefill);
        Assert.True(20 + (10 * (generating + prefill)) <= target, $"{generating} streams + {prefill} prompt tokens");
        Assert.True(20 + (10 * (generating + prefill + 1)) > target, "one token more would still have fitted");
    }

    [Fact]
    public void Prefill_always_progresses_when_the_decode_rows_alone_exceed_the_target()
    {
        var budget = Budget(targetMs: 50);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        Assert.Equal(StepBudget.MinimumPrefill, budget.PrefillTokens(generating: 8, oldestPromptLeft: 100));
    }

    [Fact]
    public void The_prefill_chunk_stays_the_upper_bound()
    {
        var budget = Budget(targetMs: 10_000, chunk: 32);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        Assert.Equal(32, budget.PrefillTokens(generating: 1, oldestPromptLeft: 100));
        Assert.Equal(2, Budget(targetMs: 50, chunk: 2).PrefillTokens(generating: 8, oldestPromptLeft: 100));
    }

    [Fact]
    public void Slower_steps_shrink_the_prefill_under_a_fixed_target_and_faster_ones_grow_it_back()
    {
        // Between two whole numbers of tokens, so what is left of the old steps' weight cannot tip the count.
        var budget = Budget(targetMs: 205);
        Run(budget, fixedMs: 20, perTokenMs: 10);
        var before = budget.PrefillTokens(generating: 4, oldestPromptLeft: 100);

        Run(budget, fixedMs: 30, perTokenMs: 15, steps: 200);
        var slower = budget.PrefillTokens(generating: 4, oldestPromptLeft: 100);

        Run(budget, fixedMs: 20, perTokenMs: 10, steps: 200);
        var again = budget.PrefillTokens(generating: 4, oldestPromptLeft: 100);

        Assert.Equal(14, before);   // (205 - 20) / 10 - 4, rounded down
        Assert.Equal(7, slower);    // (205 - 30) / 15 - 4, rounded down
        Assert.Equal(before, again);
    }

    [Fact]
    public void The_automatic_target_is_twice_a_full_decode_step_and_follows_the_machine()
    {
        var budget = Budget(SchedulerOptions.AutoTargetItl);
        Assert.Null(budget.TargetMilliseconds); // nothing measured yet
        Assert.Equal(Chunk, budget.PrefillTokens(generating: 4, oldestPromptLeft: 100));

        Run(budget, fixedMs: 20, perTokenMs: 10);
        Assert.Equal(StepBudget.AutoTargetFactor * (20 + (10 * Slots)), budget.TargetMilliseconds!.Value, 6);
        var tokens = budget.PrefillTokens(generating: 4, oldestPromptLeft: 100);

        Run(budget, fixedMs: 40, perTokenMs: 20, steps: 200);
        Assert.Equal(StepBudget.AutoTargetFactor * (40 + (20 * Slots)), budget.TargetMilliseconds!.Value, 1);
        // Twice as slow everywhere: the target doubles, so the same share of a step goes to prompts.
        Assert.Equal(tokens, budget.PrefillTokens(generating: 4, oldestPromptLeft: 100));
        Assert.Equal(14, tokens); // (2 × 100 - 20) / 10 - 4
    }

    [Fact]
    public void Without_a_target_every_step_may_take_the_whole_chunk()
    {
        var budget = Budget(targetMs: null);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        Assert.Null(budget.TargetMilliseconds);
        Assert.Equal(Chunk, budget.PrefillTokens(generating: 8, oldestPromptLeft: 100));
    }

    [Fact]
    public void With_nothing_generating_the_oldest_prompt_goes_whole_and_younger_ones_join_as_the_target_allows()
    {
        var budget = Budget(targetMs: 200);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        // A step of 18 prompt tokens costs 200 ms: a longer oldest prompt still goes whole, a shorter one leaves room.
        Assert.Equal(100, budget.PrefillTokens(generating: 0, oldestPromptLeft: 100));
        Assert.Equal(18, budget.PrefillTokens(generating: 0, oldestPromptLeft: 5));
        // The chunk bounds steps beside streams, not a lone prompt.
        var smallChunk = Budget(targetMs: 200, chunk: 8);
        Run(smallChunk, fixedMs: 20, perTokenMs: 10);
        Assert.Equal(100, smallChunk.PrefillTokens(generating: 0, oldestPromptLeft: 100));
    }

    [Fact]
    public void A_long_queue_gets_no_more_than_the_target()
    {
        var budget = Budget(targetMs: 150, chunk: 128);
        Run(budget, fixedMs: 20, perTokenMs: 10);

        // However long the waiting prompt, the running streams' step stays at the target: (150 - 20) / 10 - 6.
        Assert.Equal(7, budget.PrefillTokens(generating: 6, oldestPromptLeft: 5000));
    }

    [Fact]
    public void Before_any_step_was_measured_a_lone_prompt_takes_the_whole_batch()
    {
        var budget = Budget(SchedulerOptions.AutoTargetItl);

        Assert.Equal(int.MaxValue, budget.PrefillTokens(generating: 0, oldestPromptLeft: 100));
        Assert.Equal(int.MaxValue, Budget(targetMs: null).PrefillTokens(generating: 0, oldestPromptLeft: 100));
    }
}
