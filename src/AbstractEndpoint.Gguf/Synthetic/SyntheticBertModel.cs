using System.Globalization;

namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// Writes <c>bert</c>-architecture GGUF embedding models (encoder only: no output head, non-causal attention, pooling
/// named in the metadata) with seeded random weights, with the keys and tensors llama.cpp's BERT loader reads:
/// token, token-type and position embeddings with their layer norm; per block separate Q/K/V and output projections,
/// the post-attention norm, the feed-forward up/down pair and the post-feed-forward norm, each with a bias. The
/// shape's KV heads, RoPE base and RMS epsilon are not used: BERT has neither grouped-query attention nor RoPE, and its
/// norms are layer norms (epsilon 1e-12, as BERT's). The vectors are random but deterministic, which is all an
/// end-to-end test of the embeddings route needs.
/// </summary>
public static class SyntheticBertModel
{
    private const string Architecture = "bert";

    /// <summary>Token types BERT models have ("sentence A" and "sentence B"); llama.cpp adds type 0's row.</summary>
    private const int TokenTypes = 2;

    /// <summary>Generates the model and writes it to <paramref name="path"/>; returns the file size.</summary>
    public static long Write(string path, SyntheticModelOptions options, BertPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shape = options.Shape;
        var type = options.TensorType;
        options.Validate();
        var vocabulary = options.Vocabulary ?? BuiltInVocabulary.Create();
        var contextLength = options.ContextLength ?? shape.ContextLength;
        var writer = new GgufWriter();
        writer
            .AddMetadata(GgufKeys.Architecture, GgufValue.FromString(Architecture))
            .AddMetadata(GgufKeys.Name, GgufValue.FromString(options.ModelName ?? $"synthetic-bert-{shape.Name}"))
            .AddMetadata(GgufKeys.Description, GgufValue.FromString(string.Create(
                CultureInfo.InvariantCulture,
                $"Synthetic random BERT embedding weights (AbstractEndpoint), seed {options.Seed}; for load and route tests only.")))
            .AddMetadata(GgufKeys.ContextLength(Architecture), UInt32(contextLength))
            .AddMetadata(GgufKeys.EmbeddingLength(Architecture), UInt32(shape.EmbeddingLength))
            .AddMetadata(GgufKeys.BlockCount(Architecture), UInt32(shape.BlockCount))
            .AddMetadata(GgufKeys.FeedForwardLength(Architecture), UInt32(shape.FeedForwardLength))
            .AddMetadata(GgufKeys.HeadCount(Architecture), UInt32(shape.HeadCount))
            .AddMetadata(GgufKeys.LayerNormEpsilon(Architecture), GgufValue.FromFloat32(1e-12f))
            .AddMetadata(GgufKeys.CausalAttention(Architecture), GgufValue.FromBool(false))
            .AddMetadata(GgufKeys.PoolingType(Architecture), GgufValue.FromUInt32((uint)pooling));
        foreach (var entry in vocabulary.Entries)
        {
            writer.AddMetadata(entry.Key, entry.Value);
        }

        writer.SetMetadata(GgufKeys.TokenTypeCount, GgufValue.FromUInt32(TokenTypes));
        AddTensors(writer, shape, type, vocabulary.TokenCount, contextLength, options.Seed);
        return writer.WriteTo(path);
    }

    private static void AddTensors(
        GgufWriter writer, SyntheticModelShape shape, GgmlType type, int vocabularySize, int contextLength, ulong seed)
    {
        long embd = shape.EmbeddingLength;
        long ff = shape.FeedForwardLength;

        // The embedding sum is layer-normalised before the first block, so the embeddings' scale is free.
        writer
            .AddTensor(SyntheticWeights.Uniform("token_embd.weight", [embd, vocabularySize], type, seed, 1f))
            .AddTensor(SyntheticWeights.Uniform("token_types.weight", [embd, TokenTypes], GgmlType.F32, seed, 0.1f))
            .AddTensor(SyntheticWeights.Uniform("position_embd.weight", [embd, contextLength], GgmlType.F32, seed, 0.1f))
            .AddTensor(SyntheticWeights.Ones("token_embd_norm.weight", embd))
            .AddTensor(SyntheticWeights.Zeros("token_embd_norm.bias", embd));
        for (var block = 0; block < shape.BlockCount; block++)
        {
            var prefix = $"blk.{block}.";
            foreach (var projection in new[] { "attn_q", "attn_k", "attn_v", "attn_output" })
            {
                writer
                    .AddTensor(SyntheticWeights.Uniform(prefix + projection + ".weight", [embd, embd], type, seed))
                    .AddTensor(SyntheticWeights.Zeros(prefix + projection + ".bias", embd));
            }

            writer
                .AddTensor(SyntheticWeights.Ones(prefix + "attn_output_norm.weight", embd))
                .AddTensor(SyntheticWeights.Zeros(prefix + "attn_output_norm.bias", embd))
                .AddTensor(SyntheticWeights.Uniform(prefix + "ffn_up.weight", [embd, ff], type, seed))
                .AddTensor(SyntheticWeights.Zeros(prefix + "ffn_up.bias", ff))
                .AddTensor(SyntheticWeights.Uniform(prefix + "ffn_down.weight", [ff, embd], type, seed))
                .AddTensor(SyntheticWeights.Zeros(prefix + "ffn_down.bias", embd))
                .AddTensor(SyntheticWeights.Ones(prefix + "layer_output_norm.weight", embd))
                .AddTensor(SyntheticWeights.Zeros(prefix + "layer_output_norm.bias", embd));
        }
    }

    private static GgufValue UInt32(int value) => GgufValue.FromUInt32(checked((uint)value));
}
