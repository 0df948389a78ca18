namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// How many prompt tokens a step may carry beside the generating slots' tokens, so that the step, and with it the
/// gap between two tokens of every running stream, stays within a target inter-token latency. Decode rows always go
/// in (running streams never stall); prompt tokens fill what the target leaves, at least
/// <see cref="MinimumPrefill"/> so a prompt always progresses, at most the prefill chunk. The target is either fixed
/// (<see cref="SchedulerOptions.TargetItlMs"/> &gt; 0) or automatic: <see cref="AutoTargetFactor"/> times what a
/// decode step of every slot costs, i.e. the inter-token latency a full server gives anyway, plus as much again for
/// prompts. Steps are timed by the loop and fed to <see cref="Record"/>; the planning itself is pure.
/// </summary>
/// <remarks>
/// <para>
/// With nothing generating there is no stream to keep smooth: the oldest prompt goes whole (up to the batch), and
/// younger ones join it only as far as the target allows. Finishing one prompt before starting the next starts its
/// stream soonest, and the streams started that way meet the next prompts in small, budgeted steps instead of one
/// long step that would carry all of them.
/// </para>
/// <para>
/// A long queue gets no more than the target: a step that gives waiting prompts more stalls every running stream
/// for as long, and on a closed-loop load that happens at every arrival (measured against the native llama-server
/// and in a simulation of the loop: a backlog share of the chunk beside the target doubled the stutter, ITL p99, at
/// 8 streams, for a few percent of throughput; see docs/performance.md). Prompts keep up with arrivals because every
/// step carries some: new streams start later, running ones stay smooth.
/// </para>
/// </remarks>
internal sealed class StepBudget(SchedulerOptions options, int slotCount)
{
    /// <summary>Prompt tokens every step with a prompt in progress takes, however tight the target.</summary>
    public const int MinimumPrefill = 4;

    /// <summary>The automatic target: a full decode step's cost times this.</summary>
    public const double AutoTargetFactor = 2.0;

    private readonly StepCostModel _cost = new();

    /// <summary>The learned cost of a step.</summary>
    public StepCostModel Cost => _cost;

    /// <summary>
    /// The step time aimed at while streams run, in milliseconds; null when steps are not budgeted (a fixed chunk) or,
    /// for the automatic target, before any step was measured.
    /// </summary>
    public double? TargetMilliseconds => options.TargetItlMs switch
    {
        null => null,
        > 0 and var fixedTarget => fixedTarget,
        _ => _cost.HasEstimate ? AutoTargetFactor * _cost.Predict(slotCount) : null,
    };

    /// <summary>Records a decoded step: its rows and how long the decode took.</summary>
    public void Record(int tokens, double milliseconds) => _cost.Record(tokens, milliseconds);

    /// <summary>
    /// Prompt tokens the next step may take beside <paramref name="generating"/> decode rows, when the oldest prompt
    /// in progress has <paramref name="oldestPromptLeft"/> tokens left to compute. The batch's own size caps it
    /// further (the planner's business).
    /// </summary>
    public int PrefillTokens(int generating, int oldestPromptLeft)
    {
        var target = TargetMilliseconds;
        if (generating == 0)
        {
            return target is { } idleTarget ? Math.Max(oldestPromptLeft, Fit(idleTarget, 0)) : int.MaxValue;
        }

        var chunk = options.PrefillChunkWhileGenerating;
        return target is { } streamTarget ? Math.Min(chunk, Math.Max(MinimumPrefill, Fit(streamTarget, generating))) : chunk;
    }

    /// <summary>Prompt tokens that fit beside <paramref name="generating"/> decode rows in a step of <paramref name="target"/> ms.</summary>
    private int Fit(double target, int generating)
    {
        var perToken = _cost.MillisecondsPerToken;
        if (perToken <= 0)
        {
            return int.MaxValue;
        }

        var room = target - _cost.Predict(generating);
        // The tolerance keeps a fit of exactly n tokens from rounding down to n - 1 through the fit's arithmetic.
        return (int)Math.Clamp(Math.Floor((room / perToken) + 1e-6), 0, int.MaxValue);
    }

    /// <summary>
    /// Tokens the embedding decode after a step may take while any request holds a slot: what the step's prompt
    /// budget (<paramref name="prefillBudget"/>) leaves after the prompt tokens it planned, so the embedding decode
    /// adds no more to the step than prompts could have (at least one input always goes: see <c>EmbeddingPacking</c>).
    /// A prefilling newcomer counts as much as a running stream: its first token must not wait behind a full
    /// embedding batch. With no request in a slot the loop runs no step and embeddings take their whole batch.
    /// </summary>
    public static int EmbeddingTokens(int prefillBudget, int plannedPromptTokens) =>
        Math.Max(0, prefillBudget - plannedPromptTokens);
}
