namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// How many prompt tokens a step may carry beside the generating slots' tokens, so that the step, and with it the
/// gap between two tokens of every running stream, stays within a target inter-token latency. Decode rows always go
/// in (running streams never stall); prompt tokens fill what the target leaves, at least
/// <see cref="MinimumPrefill"/> so a prompt always progresses, and at least the backlog's share (below), at most the
/// prefill chunk. The target is either
/// fixed (<see cref="SchedulerOptions.TargetItlMs"/> &gt; 0) or automatic: half again what a decode step of every
/// slot costs, i.e. the inter-token latency a full server gives anyway, plus room for a prompt chunk.
/// Steps are timed by the loop and fed to <see cref="Record"/>; the planning itself is pure.
/// </summary>
/// <remarks>
/// A long queue favours prefill. Prompts waiting for their first token (prefilling slots plus jobs waiting for a slot)
/// get at least their share of the chunk, chunk × waiting / (waiting + generating), even past the target: a busy
/// server must keep up with arrivals, or slots pile up in prefill, fewer streams run and every step carries fewer
/// tokens (measured: a pure target cost a third of the aggregate at 8 streams). When more prompts wait than streams
/// run, a step takes the whole chunk: finishing prompts, which fills the batch with decode rows and starts those
/// clients' streams, is worth more than smoothing fewer running streams.
/// With nothing generating the planner ignores the budget and gives prompts the whole batch.
/// </remarks>
internal sealed class StepBudget(SchedulerOptions options, int slotCount)
{
    /// <summary>Prompt tokens every step with a prompt in progress takes, however tight the target.</summary>
    public const int MinimumPrefill = 4;

    /// <summary>The automatic target: a full decode step's cost times this.</summary>
    public const double AutoTargetFactor = 1.5;

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
    /// Prompt tokens the next step may take beside <paramref name="generating"/> decode rows, with
    /// <paramref name="waitingPrompts"/> prompts (prefilling slots and queued jobs) waiting for their first token.
    /// </summary>
    public int PrefillTokens(int generating, int waitingPrompts)
    {
        var chunk = options.PrefillChunkWhileGenerating;
        if (generating == 0 || waitingPrompts > generating || TargetMilliseconds is not { } target)
        {
            return chunk;
        }

        var backlogShare = chunk * waitingPrompts / (waitingPrompts + generating);
        var perToken = _cost.MillisecondsPerToken;
        var room = target - _cost.Predict(generating);
        // The tolerance keeps a fit of exactly n tokens from rounding down to n - 1 through the fit's arithmetic.
        var fit = perToken > 0 ? (int)Math.Min(chunk, Math.Floor((room / perToken) + 1e-6)) : chunk;
        return Math.Min(chunk, Math.Max(Math.Max(MinimumPrefill, backlogShare), fit));
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
