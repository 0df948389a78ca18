namespace AbstractEndpoint.Gguf;

/// <summary>
/// A tensor as the GGUF header describes it. <see cref="Dimensions"/> are in ggml order: the row length (ne0)
/// first, so a Llama <c>token_embd.weight</c> is <c>[n_embd, n_vocab]</c>.
/// </summary>
/// <param name="Name">The tensor name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">ne0, ne1, … (1 to 4 of them).</param>
/// <param name="Type">The element type.</param>
/// <param name="Offset">The offset of its data relative to the file's data section (a multiple of the alignment).</param>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, long Offset)
{
    /// <summary>The number of elements (product of the dimensions).</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (product, dimension) => checked(product * dimension));

    /// <summary>The size of its data in bytes.</summary>
    public long ByteSize => GgmlTypeLayout.Of(Type).TensorSize(Dimensions);

    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Dimensions)}] @ {Offset}";
}
