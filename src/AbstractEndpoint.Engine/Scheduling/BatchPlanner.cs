using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Fills one decode batch: first one token for every generating slot (running streams never stall), then prompt
/// chunks of prefilling slots, oldest first, within the batch size. While anything is generating, prefill per
/// step is capped (by <see cref="StepBudget"/>: what the target inter-token latency leaves, at most the prefill
/// chunk) so a newcomer's long prompt does not freeze the others.
/// </summary>
internal static class BatchPlanner
{
    public static void Plan(IReadOnlyList<Slot> slots, TokenBatch batch, int prefillChunkWhileGenerating)
    {
        batch.Clear();
        var generating = false;
        foreach (var slot in slots)
        {
            slot.LogitsRow = -1;
            slot.PlannedPrefill = 0;
            if (slot.Phase == SlotPhase.Generating)
            {
                slot.LogitsRow = batch.Add(slot.PendingToken, slot.Cached.Count, slot.Sequence, wantsLogits: true);
                generating = true;
            }
        }

        var prefillBudget = generating ? Math.Min(prefillChunkWhileGenerating, batch.Remaining) : batch.Remaining;
        foreach (var slot in slots.Where(s => s.Phase == SlotPhase.Prefilling).OrderBy(s => s.StartedAt))
        {
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
