namespace AbstractEndpoint.Engine.Runtime;

/// <summary>
/// One decode's worth of tokens from several sequences. Reused across steps (no allocation per token);
/// loop thread only.
/// </summary>
public sealed class TokenBatch(int capacity)
{
    private readonly int[] _tokens = new int[capacity];
    private readonly int[] _positions = new int[capacity];
    private readonly int[] _sequences = new int[capacity];
    private readonly bool[] _wantsLogits = new bool[capacity];

    public int Capacity => _tokens.Length;

    public int Count { get; private set; }

    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, Count);

    public ReadOnlySpan<int> Positions => _positions.AsSpan(0, Count);

    public ReadOnlySpan<int> Sequences => _sequences.AsSpan(0, Count);

    public ReadOnlySpan<bool> WantsLogits => _wantsLogits.AsSpan(0, Count);

    public int Remaining => Capacity - Count;

    public void Clear() => Count = 0;

    /// <summary>Adds a token and returns its row, the index to sample from when <paramref name="wantsLogits"/>.</summary>
    public int Add(int token, int position, int sequence, bool wantsLogits)
    {
        if (Count == Capacity)
        {
            throw new InvalidOperationException("Batch is full; the planner must not exceed the batch size.");
        }

        _tokens[Count] = token;
        _positions[Count] = position;
        _sequences[Count] = sequence;
        _wantsLogits[Count] = wantsLogits;
        return Count++;
    }
}
