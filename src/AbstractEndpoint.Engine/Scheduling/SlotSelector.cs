namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Picks the idle slot for a new prompt: the one whose cached tokens share the longest prefix with it (those
/// KV cells are reused), ties broken by least recent use so warm prefixes survive longest.
/// </summary>
internal static class SlotSelector
{
    public static Slot? Choose(IReadOnlyList<Slot> slots, IReadOnlyList<int> prompt)
    {
        Slot? best = null;
        var bestPrefix = -1;
        foreach (var slot in slots)
        {
            if (slot.Phase != SlotPhase.Idle)
            {
                continue;
            }

            var prefix = CommonPrefixLength(slot.Cached, prompt);
            if (prefix > bestPrefix || (prefix == bestPrefix && slot.LastUsed < best!.LastUsed))
            {
                best = slot;
                bestPrefix = prefix;
            }
        }

        return best;
    }

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
