namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// The shape of a synthetic <c>llama</c>-architecture model. Speed in llama.cpp depends on the shape and the tensor
/// type, not on the weight values, so random weights in a real model's shape benchmark like that model.
/// </summary>
/// <param name="Name">Preset or custom name (goes into <c>general.name</c>).</param>
/// <param name="EmbeddingLength">n_embd.</param>
/// <param name="BlockCount">Number of transformer blocks.</param>
/// <param name="HeadCount">Attention heads.</param>
/// <param name="HeadCountKv">Key/value heads (grouped-query attention when fewer than <paramref name="HeadCount"/>).</param>
/// <param name="FeedForwardLength">n_ff.</param>
/// <param name="ContextLength">The training context written to <c>llama.context_length</c>.</param>
/// <param name="RopeFreqBase">RoPE base frequency.</param>
/// <param name="RmsNormEpsilon">RMS-norm epsilon.</param>
public sealed record SyntheticModelShape(
    string Name,
    int EmbeddingLength,
    int BlockCount,
    int HeadCount,
    int HeadCountKv,
    int FeedForwardLength,
    int ContextLength,
    float RopeFreqBase = 10_000f,
    float RmsNormEpsilon = 1e-5f)
{
    /// <summary>For tests: 2 blocks, n_embd 64, 4 heads / 2 KV heads, ff 128. Loads and decodes in milliseconds.</summary>
    public static SyntheticModelShape Tiny { get; } = new("tiny", 64, 2, 4, 2, 128, 2048);

    /// <summary>Qwen2.5-0.5B's transformer shape: n_embd 896, 24 blocks, 14 / 2 heads, ff 4864.</summary>
    public static SyntheticModelShape Qwen2_5_0_5B { get; } =
        new("qwen2.5-0.5b", 896, 24, 14, 2, 4864, 32768, 1_000_000f, 1e-6f);

    /// <summary>TinyLlama-1.1B's shape: n_embd 2048, 22 blocks, 32 / 4 heads, ff 5632.</summary>
    public static SyntheticModelShape TinyLlama1_1B { get; } =
        new("tinyllama-1.1b", 2048, 22, 32, 4, 5632, 2048, 10_000f, 1e-5f);

    public static IReadOnlyList<SyntheticModelShape> Presets { get; } = [Tiny, Qwen2_5_0_5B, TinyLlama1_1B];

    public int HeadDimension => EmbeddingLength / HeadCount;

    /// <summary>The width of the K and V projections (head dimension × KV heads).</summary>
    public int KvEmbeddingLength => HeadDimension * HeadCountKv;

    /// <summary>The preset named <paramref name="name"/> (case-insensitive); throws listing the presets.</summary>
    public static SyntheticModelShape FromPreset(string name) =>
        Presets.FirstOrDefault(preset => string.Equals(preset.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"unknown preset '{name}'; known: {string.Join(", ", Presets.Select(preset => preset.Name))}",
            nameof(name));

    /// <summary>Weights and norms of a model with this shape and a vocabulary of <paramref name="vocabularySize"/>.</summary>
    public long ParameterCount(int vocabularySize)
    {
        long embd = EmbeddingLength;
        var perBlock = (2 * embd) // attention and feed-forward norms
            + (2 * embd * embd) // q and output
            + (2 * embd * KvEmbeddingLength) // k and v
            + (3 * embd * FeedForwardLength); // gate, up, down
        return (2 * embd * vocabularySize) + embd + (BlockCount * perBlock);
    }

    /// <summary>Throws when llama.cpp could not load this shape with weights of type <paramref name="type"/>.</summary>
    public void Validate(GgmlType type)
    {
        Require(EmbeddingLength > 0 && BlockCount > 0 && HeadCount > 0 && HeadCountKv > 0 && FeedForwardLength > 0,
            "all sizes must be positive");
        Require(ContextLength > 0, "the context length must be positive");
        Require(EmbeddingLength % HeadCount == 0, $"n_embd {EmbeddingLength} is not divisible by {HeadCount} heads");
        Require(HeadCount % HeadCountKv == 0, $"{HeadCount} heads are not divisible by {HeadCountKv} KV heads");
        Require(HeadDimension % 2 == 0, "the head dimension must be even for RoPE");
        var block = GgmlTypeLayout.Of(type).BlockSize;
        Require(EmbeddingLength % block == 0 && FeedForwardLength % block == 0,
            $"{type} needs n_embd and n_ff to be multiples of {block}");
    }

    private void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"invalid model shape '{Name}': {message}");
        }
    }
}
