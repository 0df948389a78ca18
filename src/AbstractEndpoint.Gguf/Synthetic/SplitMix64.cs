namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// SplitMix64: a tiny, fast, well-mixed 64-bit generator. Weights are seeded per row from (seed, tensor, row), so rows
/// can be generated in parallel and the file is still reproducible.
/// </summary>
internal struct SplitMix64(ulong state)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state = state;

    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
        return value ^ (value >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b + Golden));

    public ulong Next() => Mix(_state += Golden);

    /// <summary>Fills <paramref name="values"/> uniformly in [-amplitude, amplitude), two values per 64 random bits.</summary>
    public void FillUniform(Span<float> values, float amplitude)
    {
        const float Unit = 1f / (1 << 24);
        var scale = 2f * amplitude * Unit;
        var i = 0;
        for (; i + 1 < values.Length; i += 2)
        {
            var bits = Next();
            values[i] = ((bits >> 40) * scale) - amplitude;
            values[i + 1] = (((bits >> 8) & 0xFFFFFF) * scale) - amplitude;
        }

        if (i < values.Length)
        {
            values[i] = ((Next() >> 40) * scale) - amplitude;
        }
    }
}
