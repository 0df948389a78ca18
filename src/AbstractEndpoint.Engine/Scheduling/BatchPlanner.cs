using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Fills one decode batch: first one token for every generating slot (running streams never stall), then prompt
/// chunks of prefilling slots, oldest first, within the step's prompt budget (<see cref="StepBudget"/>: what the
/// target inter-token latency leaves beside the streams, or the oldest prompt whole when nothing generates) and the
/// batch size. Background prefills (control-plane cache updates) wait while any interactive job holds a slot, and
/// alone they take small steps: on a CPU a step's cost grows with every row in it, and a step cannot be interrupted,
/// so a chat that arrives waits for at most one small background step and then runs as if alone.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>Alone, a background prefill step takes the capped chunk divided by this (16 tokens of the default 128).</summary>
    public const int BackgroundStepDivisor = 8;

    /// <summary>
    /// Prompt tokens a background prefill may take in one step: none beside an interactive job (a row of background
    /// prompt costs the chat's step as much as a row of its own), else a small step that always advances.
    /// </summary>
    public static int BackgroundBudget(int prefillChunk, bool interactive) =>
        interactive ? 0 : Math.Max(1, prefillChunk / BackgroundStepDivisor);

    /// <summary>Plans the next step into <paramref name="batch"/>.</summary>
    /// <param name="slots">Every slot, in sequence order.</param>
    /// <param name="batch">The batch to fill (cleared first).</param>
    /// <param name="prefillTokens">Prompt tokens the step may carry (the step budget's answer).</param>
    /// <param name="prefillChunk">The configured chunk, which sizes a background prefill's steps.</param>
    /// <param name="holdStreams">True while the generating slots wait for their wave's prompts (<see cref="WaveHold"/>).</param>
    /// <returns>The prompt tokens planned (what the step's budget left goes to the embedding decode).</returns>
    public static int Plan(IReadOnlyList<Slot> slots, TokenBatch batch, int prefillTokens, int prefillChunk, bool holdStreams = false)
    {
        batch.Clear();
        var interactive = false;
        foreach (var slot in slots)
        {
            slot.LogitsRow = -1;
            slot.PlannedPrefill = 0;
            if (slot.Phase == SlotPhase.Generating && !holdStreams)
            {
                slot.LogitsRow = batch.Add(slot.PendingToken, slot.Cached.Count, slot.Sequence, wantsLogits: true);
            }

            interactive |= slot.Job is { Background: false };
        }

        var prefillBudget = Math.Min(prefillTokens, batch.Remaining);
        var planned = 0;
        var backgroundBudget = Math.Min(BackgroundBudget(prefillChunk, interactive), prefillBudget);
        foreach (var slot in PrefillOrder(slots))
        {
            if (slot.Job!.Background)
            {
                prefillBudget = Math.Min(prefillBudget, backgroundBudget);
            }

            if (prefillBudget <= 0)
            {
                break;
            }

            var prompt = slot.Job!.PromptTokens;
            var take = Math.Min(prefillBudget, prompt.Count - slot.PromptCursor);
            var position = slot.Cached.Count;
            for (var i = 0; i < take; i++)
            {
                var isLast = slot.PromptCursor + i == prompt.Count - 1;
                var row = batch.Add(prompt[slot.PromptCursor + i], position + i, slot.Sequence, wantsLogits: isLast);
                if (isLast)
                {
                    slot.LogitsRow = row;
                }
            }

            // The cursor moves only when the decode succeeds (see InferenceLoop.CommitBatch).
            slot.PlannedPrefill = take;
            prefillBudget -= take;
            planned += take;
        }

        return planned;
    }

    /// <summary>The prefilling slots in the order their prompts are served: interactive before background, oldest first.</summary>
    public static IEnumerable<Slot> PrefillOrder(IReadOnlyList<Slot> slots) => slots
        .Where(s => s.Phase == SlotPhase.Prefilling)
        .OrderBy(s => s.Job!.Background)
        .ThenBy(s => s.StartedAt);
}
