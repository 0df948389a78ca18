namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>How many of the next inputs one embedding decode takes, in order.</summary>
public static class EmbeddingPacking
{
    /// <summary>
    /// The end (exclusive) of the inputs from <paramref name="start"/> that fit one decode of at most
    /// <paramref name="maxSequences"/> inputs and <paramref name="maxTokens"/> tokens; always at least one input, so
    /// work progresses however small the budget (an input never exceeds the context's own batch: it was checked).
    /// </summary>
    public static int End(IReadOnlyList<int[]> inputs, int start, int maxSequences, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var end = start + 1;
        var tokens = inputs[start].Length;
        while (end < inputs.Count && end - start < maxSequences && tokens + inputs[end].Length <= maxTokens)
        {
            tokens += inputs[end].Length;
            end++;
        }

        return end;
    }
}
