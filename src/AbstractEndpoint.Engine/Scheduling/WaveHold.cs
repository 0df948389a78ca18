namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Whether the streams of a wave of arrivals wait, after their first token, for the rest of the wave's prompts. When
/// several requests arrive at an idle server together, the step budget computes their prompts one after another,
/// each whole, and every first token goes out as soon as its own prompt is done. Were each stream then to start
/// decoding at once, every later prompt of the wave would be computed beside running streams: in small budgeted
/// pieces (the later first tokens come late) or in big ones (every running stream stalls at each). Held instead,
/// the wave's streams decode together once its last prompt is done: each stream has one long gap, after its first
/// token, and none of its tokens comes later than if the whole wave had been computed in one step first (llama-server's
/// policy), while its first token comes sooner. Streams that run together also end together on closed-loop loads, so
/// the next wave arrives together again instead of one request at a time into running streams.
/// </summary>
/// <remarks>
/// The hold applies only while every generating stream is such a fresh one (it has its first token and has not
/// decoded since), and only for prompts submitted before the newest of those first tokens: a request that arrives
/// later meets running streams and the step budget as usual. It ends when the wave's prompts still to compute
/// exceed <see cref="SchedulerOptions.WaveHoldTokens"/>: a held stream never waits longer than a step of that many
/// prompt tokens would stall it (llama-server's default logical batch, 2,048 tokens, stalls every running stream
/// for one such step).
/// </remarks>
internal static class WaveHold
{
    /// <summary>The automatic limit is this many batches of prompt tokens (llama-server's logical batch over its physical one).</summary>
    public const int AutoBatches = 4;

    /// <summary>The limit on a wave's prompt tokens still to compute for <paramref name="configured"/> (see <see cref="SchedulerOptions.WaveHoldTokens"/>).</summary>
    public static int Limit(int configured, int batchSize) =>
        configured == SchedulerOptions.AutoWaveHold ? AutoBatches * batchSize : Math.Max(0, configured);

    /// <summary>True when the generating slots wait this step for the wave's remaining prompts.</summary>
    /// <param name="slots">Every slot.</param>
    /// <param name="limit">Most prompt tokens still to compute that the streams wait for (0: never hold).</param>
    public static bool Applies(IReadOnlyList<Slot> slots, int limit)
    {
        if (limit <= 0)
        {
            return false;
        }

        var newestFirstToken = long.MinValue;
        foreach (var slot in slots)
        {
            if (slot.Phase == SlotPhase.Generating)
            {
                if (slot.Generated != 1 || slot.Job is null or { Background: true })
                {
                    return false;
                }

                newestFirstToken = Math.Max(newestFirstToken, slot.FirstTokenAt);
            }
        }

        if (newestFirstToken == long.MinValue)
        {
            return false;
        }

        var waveLeft = 0L;
        foreach (var slot in slots)
        {
            if (slot is { Phase: SlotPhase.Prefilling, Job: { Background: false } job } && job.SubmittedAt <= newestFirstToken)
            {
                waveLeft += job.PromptTokens.Count - slot.PromptCursor;
            }
        }

        return waveLeft > 0 && waveLeft <= limit;
    }
}
