using System.Text;

namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>The tensors synthetic models are made of: seeded uniform weights, and constant norm weights and biases.</summary>
internal static class SyntheticWeights
{
    /// <summary>
    /// Uniform weights, by default with standard deviation 1/sqrt(fan_in) (fan_in is the row length), so every
    /// projection keeps activations near unit scale. Each tensor's values depend only on the seed and its name.
    /// </summary>
    public static GgufTensorSource Uniform(string name, long[] dimensions, GgmlType type, ulong seed, float? amplitude = null)
    {
        var scale = amplitude ?? MathF.Sqrt(3f / dimensions[0]);
        var tensorSeed = SplitMix64.Combine(seed, Fnv1a(name));
        return GgufTensorSource.FromRows(name, dimensions, type, (row, values) =>
            new SplitMix64(SplitMix64.Combine(tensorSeed, (ulong)row)).FillUniform(values, scale));
    }

    public static GgufTensorSource Ones(string name, long length) =>
        GgufTensorSource.FromRows(name, [length], GgmlType.F32, (_, values) => values.Fill(1f));

    public static GgufTensorSource Zeros(string name, long length) =>
        GgufTensorSource.FromRows(name, [length], GgmlType.F32, (_, values) => values.Clear());

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        return hash;
    }
}
