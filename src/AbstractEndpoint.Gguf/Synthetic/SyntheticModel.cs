using System.Diagnostics;
using System.Globalization;

namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// Writes <c>llama</c>-architecture GGUF models with seeded random weights in a chosen shape, with every metadata
/// key and tensor llama.cpp needs to load and run them. The output is gibberish by design; the speed is that of a
/// real model of the same shape and type.
/// </summary>
public static class SyntheticModel
{
    private const string Architecture = "llama";
    private const string Purpose = "Output is gibberish; use it for load and speed tests only.";

    /// <summary>Generates the model and writes it to <paramref name="path"/> (streamed; memory use stays small).</summary>
    public static SyntheticModelSummary Write(string path, SyntheticModelOptions options)
    {
        var stopwatch = Stopwatch.StartNew();
        var writer = CreateWriter(options);
        var size = writer.WriteTo(path);
        var vocabulary = VocabularyOf(options);
        return new SyntheticModelSummary(
            Path.GetFullPath(path),
            size,
            options.Shape.ParameterCount(vocabulary.TokenCount),
            writer.Tensors.Count,
            vocabulary.TokenCount,
            stopwatch.Elapsed);
    }

    /// <summary>
    /// A writer holding the model's metadata and (lazily generated) tensors, for callers that want to add metadata
    /// or write to a stream.
    /// </summary>
    public static GgufWriter CreateWriter(SyntheticModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shape = options.Shape;
        var type = options.TensorType;
        options.Validate();
        var vocabulary = VocabularyOf(options);
        var writer = new GgufWriter();
        AddModelMetadata(writer, options, vocabulary.TokenCount);
        foreach (var entry in vocabulary.Entries)
        {
            writer.AddMetadata(entry.Key, entry.Value);
        }

        if (options.ChatTemplate is { Length: > 0 } template)
        {
            writer.SetMetadata(GgufKeys.ChatTemplate, GgufValue.FromString(template));
        }
        else if (options.ChatTemplate is not null)
        {
            writer.RemoveMetadata(GgufKeys.ChatTemplate);
        }

        AddTensors(writer, shape, type, vocabulary.TokenCount, options.Seed);
        return writer;
    }

    private static GgufVocabulary VocabularyOf(SyntheticModelOptions options)
    {
        var vocabulary = options.Vocabulary ?? BuiltInVocabulary.Create();
        return options.FillInTheMiddle ? FillInTheMiddleVocabulary.Add(vocabulary) : vocabulary;
    }

    private static void AddModelMetadata(GgufWriter writer, SyntheticModelOptions options, int vocabularySize)
    {
        var shape = options.Shape;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"Synthetic random weights (AbstractEndpoint) in the shape '{shape.Name}', seed {options.Seed}. {Purpose}");
        writer
            .AddMetadata(GgufKeys.Architecture, GgufValue.FromString(Architecture))
            .AddMetadata(GgufKeys.Name, GgufValue.FromString(options.ModelName ?? $"synthetic-{shape.Name}"))
            .AddMetadata(GgufKeys.Description, GgufValue.FromString(description))
            .AddMetadata(GgufKeys.FileType, GgufValue.FromUInt32(FileTypeOf(options.TensorType)));
        if (options.TensorType == GgmlType.Q8_0)
        {
            writer.AddMetadata(GgufKeys.QuantizationVersion, GgufValue.FromUInt32(2));
        }

        writer
            .AddMetadata(GgufKeys.VocabSize(Architecture), GgufValue.FromUInt32((uint)vocabularySize))
            .AddMetadata(GgufKeys.ContextLength(Architecture), UInt32(options.ContextLength ?? shape.ContextLength))
            .AddMetadata(GgufKeys.EmbeddingLength(Architecture), UInt32(shape.EmbeddingLength))
            .AddMetadata(GgufKeys.BlockCount(Architecture), UInt32(shape.BlockCount))
            .AddMetadata(GgufKeys.FeedForwardLength(Architecture), UInt32(shape.FeedForwardLength))
            .AddMetadata(GgufKeys.RopeDimensionCount(Architecture), UInt32(shape.HeadDimension))
            .AddMetadata(GgufKeys.HeadCount(Architecture), UInt32(shape.HeadCount))
            .AddMetadata(GgufKeys.HeadCountKv(Architecture), UInt32(shape.HeadCountKv))
            .AddMetadata(GgufKeys.RopeFreqBase(Architecture), GgufValue.FromFloat32(shape.RopeFreqBase))
            .AddMetadata(GgufKeys.RmsNormEpsilon(Architecture), GgufValue.FromFloat32(shape.RmsNormEpsilon));
    }

    /// <summary>
    /// Tensors with the names and ggml dimension order llama.cpp's llama loader expects: a weight that maps n_in to
    /// n_out is <c>[n_in, n_out]</c> (the row length first).
    /// </summary>
    private static void AddTensors(GgufWriter writer, SyntheticModelShape shape, GgmlType type, int vocabularySize, ulong seed)
    {
        long embd = shape.EmbeddingLength;
        long kv = shape.KvEmbeddingLength;
        long ff = shape.FeedForwardLength;

        // Embeddings are RMS-normalised before use, so their scale is free; 1 keeps them well inside fp16.
        writer.AddTensor(SyntheticWeights.Uniform("token_embd.weight", [embd, vocabularySize], type, seed, amplitude: 1f));
        for (var block = 0; block < shape.BlockCount; block++)
        {
            var prefix = $"blk.{block}.";
            writer
                .AddTensor(SyntheticWeights.Ones(prefix + "attn_norm.weight", embd))
                .AddTensor(SyntheticWeights.Uniform(prefix + "attn_q.weight", [embd, embd], type, seed))
                .AddTensor(SyntheticWeights.Uniform(prefix + "attn_k.weight", [embd, kv], type, seed))
                .AddTensor(SyntheticWeights.Uniform(prefix + "attn_v.weight", [embd, kv], type, seed))
                .AddTensor(SyntheticWeights.Uniform(prefix + "attn_output.weight", [embd, embd], type, seed))
                .AddTensor(SyntheticWeights.Ones(prefix + "ffn_norm.weight", embd))
                .AddTensor(SyntheticWeights.Uniform(prefix + "ffn_gate.weight", [embd, ff], type, seed))
                .AddTensor(SyntheticWeights.Uniform(prefix + "ffn_up.weight", [embd, ff], type, seed))
                .AddTensor(SyntheticWeights.Uniform(prefix + "ffn_down.weight", [ff, embd], type, seed));
        }

        writer
            .AddTensor(SyntheticWeights.Ones("output_norm.weight", embd))
            .AddTensor(SyntheticWeights.Uniform("output.weight", [embd, vocabularySize], type, seed));
    }

    private static GgufValue UInt32(int value) => GgufValue.FromUInt32(checked((uint)value));

    /// <summary>llama_ftype: ALL_F32 = 0, MOSTLY_F16 = 1, MOSTLY_Q8_0 = 7.</summary>
    private static uint FileTypeOf(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q8_0 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
