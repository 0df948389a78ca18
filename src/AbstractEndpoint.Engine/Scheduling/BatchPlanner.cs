using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Fills one decode batch: first one token for every generating slot (running streams never stall), then prompt
/// chunks of prefilling slots, oldest first, within the batch size. While anything is generating, prefill per
/// step is capped (by <see cref="StepBudget"/>: what the target inter-token latency leaves, at most the prefill
/// chunk) so a newcomer's long prompt does not freeze the others. Background prefills (control-plane
/// cache updates) wait while any interactive job holds a slot, and alone they take small steps: on a CPU a step's
/// cost grows with every row in it, and a step cannot be interrupted, so a chat that arrives waits for at most one
/// small background step and then runs as if alone.
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

    public static void Plan(IReadOnlyList<Slot> slots, TokenBatch batch, int prefillChunkWhileGenerating)
    {
        batch.Clear();
        var generating = false;
        var interactive = false;
        foreach (var slot in slots)
        {
            slot.LogitsRow = -1;
            slot.PlannedPrefill = 0;
            if (slot.Phase == SlotPhase.Generating)
            {
                slot.LogitsRow = batch.Add(slot.PendingToken, slot.Cached.Count, slot.Sequence, wantsLogits: true);
                generating = true;
            }

            interactive |= slot.Job is { Background: false };
        }

        var prefillBudget = generating ? Math.Min(prefillChunkWhileGenerating, batch.Remaining) : batch.Remaining;
        var backgroundBudget = Math.Min(BackgroundBudget(prefillChunkWhileGenerating, interactive), prefillBudget);
        var prefilling = slots
            .Where(s => s.Phase == SlotPhase.Prefilling)
            .OrderBy(s => s.Job!.Background)
            .ThenBy(s => s.StartedAt);
        foreach (var slot in prefilling)
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
        }
    }
}
