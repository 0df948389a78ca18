namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>What to generate.</summary>
public sealed class SyntheticModelOptions
{
    public required SyntheticModelShape Shape { get; init; }

    /// <summary>Type of the 2-D weights: F32, F16 or Q8_0. Norm vectors are always F32, as llama.cpp's files have them.</summary>
    public GgmlType TensorType { get; init; } = GgmlType.Q8_0;

    /// <summary>Seed of the weights; the same seed, shape and type give a byte-identical file.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The tokenizer; null means <see cref="BuiltInVocabulary"/>.</summary>
    public GgufVocabulary? Vocabulary { get; init; }

    /// <summary>Appends fill-in-the-middle tokens to the vocabulary (<see cref="FillInTheMiddleVocabulary"/>).</summary>
    public bool FillInTheMiddle { get; init; }

    /// <summary>
    /// <c>tokenizer.chat_template</c> to embed. Null keeps whatever the vocabulary carries (a donor's template, or none);
    /// an empty string removes it.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Overrides the shape's <c>llama.context_length</c>.</summary>
    public int? ContextLength { get; init; }

    /// <summary><c>general.name</c>; defaults to "synthetic-{shape name}".</summary>
    public string? ModelName { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when these weights cannot be written (a type or shape the writer lacks).</summary>
    internal void Validate()
    {
        if (!GgmlTensorCodec.Supports(TensorType))
        {
            throw new ArgumentException($"synthetic weights can be F32, F16 or Q8_0, not {TensorType}", "options");
        }

        Shape.Validate(TensorType);
    }
}
