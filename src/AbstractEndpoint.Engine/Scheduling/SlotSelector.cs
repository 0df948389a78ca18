namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Picks the idle slot for a new prompt: the one whose cached tokens share the longest prefix with it (those
/// KV cells are reused), ties broken by least recent use so warm prefixes survive longest. A slot last used under
/// another isolation tag shares no prefix with the prompt (<see cref="ReusablePrefixLength"/>).
/// </summary>
internal static class SlotSelector
{
    public static Slot? Choose(IReadOnlyList<Slot> slots, IReadOnlyList<int> prompt, string? isolationTag = null)
    {
        Slot? best = null;
        var bestPrefix = -1;
        foreach (var slot in slots)
        {
            if (slot.Phase != SlotPhase.Idle)
            {
                continue;
            }

            var prefix = ReusablePrefixLength(slot, prompt, isolationTag);
            if (prefix > bestPrefix || (prefix == bestPrefix && slot.LastUsed < best!.LastUsed))
            {
                best = slot;
                bestPrefix = prefix;
            }
        }

        return best;
    }

    /// <summary>
    /// The prefix a prompt may reuse from a slot: none when the slot's cells were computed under another isolation
    /// tag (another API key's prompt must not be reused, nor its length observable through cached_tokens).
    /// </summary>
    public static int ReusablePrefixLength(Slot slot, IReadOnlyList<int> prompt, string? isolationTag) =>
        string.Equals(slot.IsolationTag, isolationTag, StringComparison.Ordinal) ? CommonPrefixLength(slot.Cached, prompt) : 0;

    public static int CommonPrefixLength(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var n = Math.Min(a.Count, b.Count);
        var i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }

        return i;
    }
}
