namespace AbstractEndpoint.Gguf;

/// <summary>
/// How a ggml type packs elements: <see cref="BlockSize"/> elements take <see cref="TypeSize"/> bytes. A row of a
/// tensor (its first dimension) must be a whole number of blocks.
/// </summary>
/// <param name="Type">The ggml type.</param>
/// <param name="BlockSize">Elements per block (1 for plain float and integer types).</param>
/// <param name="TypeSize">Bytes per block.</param>
public sealed record GgmlTypeLayout(GgmlType Type, int BlockSize, int TypeSize)
{
    // Block sizes and byte sizes from ggml-common.h (block_* structs) and ggml.c (type_traits).
    private static readonly Dictionary<GgmlType, GgmlTypeLayout> Layouts = new GgmlTypeLayout[]
    {
        new(GgmlType.F32, 1, 4),
        new(GgmlType.F16, 1, 2),
        new(GgmlType.Q4_0, 32, 18),
        new(GgmlType.Q4_1, 32, 20),
        new(GgmlType.Q5_0, 32, 22),
        new(GgmlType.Q5_1, 32, 24),
        new(GgmlType.Q8_0, 32, 34),
        new(GgmlType.Q8_1, 32, 36),
        new(GgmlType.Q2_K, 256, 84),
        new(GgmlType.Q3_K, 256, 110),
        new(GgmlType.Q4_K, 256, 144),
        new(GgmlType.Q5_K, 256, 176),
        new(GgmlType.Q6_K, 256, 210),
        new(GgmlType.Q8_K, 256, 292),
        new(GgmlType.IQ2_XXS, 256, 66),
        new(GgmlType.IQ2_XS, 256, 74),
        new(GgmlType.IQ3_XXS, 256, 98),
        new(GgmlType.IQ1_S, 256, 50),
        new(GgmlType.IQ4_NL, 32, 18),
        new(GgmlType.IQ3_S, 256, 110),
        new(GgmlType.IQ2_S, 256, 82),
        new(GgmlType.IQ4_XS, 256, 136),
        new(GgmlType.I8, 1, 1),
        new(GgmlType.I16, 1, 2),
        new(GgmlType.I32, 1, 4),
        new(GgmlType.I64, 1, 8),
        new(GgmlType.F64, 1, 8),
        new(GgmlType.IQ1_M, 256, 56),
        new(GgmlType.BF16, 1, 2),
        new(GgmlType.TQ1_0, 256, 54),
        new(GgmlType.TQ2_0, 256, 66),
        new(GgmlType.MXFP4, 32, 17),
        new(GgmlType.NVFP4, 64, 36),
        new(GgmlType.Q1_0, 128, 18),
    }.ToDictionary(layout => layout.Type);

    /// <summary>The layout of <paramref name="type"/>, or null for a type number this library does not know.</summary>
    public static GgmlTypeLayout? Find(GgmlType type) => Layouts.GetValueOrDefault(type);

    /// <summary>The layout of <paramref name="type"/>; throws for an unknown type number.</summary>
    public static GgmlTypeLayout Of(GgmlType type) =>
        Find(type) ?? throw new ArgumentOutOfRangeException(nameof(type), type, "unknown ggml type");

    /// <summary>Bytes taken by <paramref name="elements"/> consecutive elements (a row); it must be whole blocks.</summary>
    public long RowSize(long elements)
    {
        if (elements % BlockSize != 0)
        {
            throw new ArgumentException(
                $"{Type} packs {BlockSize} elements per block; a row of {elements} is not a whole number of blocks",
                nameof(elements));
        }

        return elements / BlockSize * TypeSize;
    }

    /// <summary>Bytes taken by a tensor with these dimensions (ggml order: the row length first).</summary>
    public long TensorSize(IReadOnlyList<long> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0)
        {
            throw new ArgumentException("a tensor has at least one dimension", nameof(dimensions));
        }

        var rows = 1L;
        for (var i = 1; i < dimensions.Count; i++)
        {
            rows = checked(rows * dimensions[i]);
        }

        return checked(RowSize(dimensions[0]) * rows);
    }
}
