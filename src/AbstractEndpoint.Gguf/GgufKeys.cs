namespace AbstractEndpoint.Gguf;

/// <summary>Well-known metadata keys (llama.cpp's names). Architecture-specific keys are prefixed by the architecture.</summary>
public static class GgufKeys
{
    public const string Architecture = "general.architecture";
    public const string Name = "general.name";
    public const string Description = "general.description";
    public const string FileType = "general.file_type";
    public const string QuantizationVersion = "general.quantization_version";
    public const string Alignment = "general.alignment";

    public const string TokenizerModel = "tokenizer.ggml.model";
    public const string TokenizerTokens = "tokenizer.ggml.tokens";
    public const string TokenizerScores = "tokenizer.ggml.scores";
    public const string TokenizerTokenTypes = "tokenizer.ggml.token_type";
    public const string BosTokenId = "tokenizer.ggml.bos_token_id";
    public const string EosTokenId = "tokenizer.ggml.eos_token_id";
    public const string EotTokenId = "tokenizer.ggml.eot_token_id";
    public const string UnknownTokenId = "tokenizer.ggml.unknown_token_id";
    public const string PaddingTokenId = "tokenizer.ggml.padding_token_id";
    public const string AddBosToken = "tokenizer.ggml.add_bos_token";
    public const string AddEosToken = "tokenizer.ggml.add_eos_token";
    public const string AddSpacePrefix = "tokenizer.ggml.add_space_prefix";
    public const string ChatTemplate = "tokenizer.chat_template";
    public const string TokenTypeCount = "tokenizer.ggml.token_type_count";
    public const string FimPrefixTokenId = "tokenizer.ggml.fim_pre_token_id";
    public const string FimSuffixTokenId = "tokenizer.ggml.fim_suf_token_id";
    public const string FimMiddleTokenId = "tokenizer.ggml.fim_mid_token_id";

    /// <summary>The prefix shared by every tokenizer key.</summary>
    public const string TokenizerPrefix = "tokenizer.";

    public static string ContextLength(string architecture) => $"{architecture}.context_length";

    public static string EmbeddingLength(string architecture) => $"{architecture}.embedding_length";

    public static string BlockCount(string architecture) => $"{architecture}.block_count";

    public static string FeedForwardLength(string architecture) => $"{architecture}.feed_forward_length";

    public static string HeadCount(string architecture) => $"{architecture}.attention.head_count";

    public static string HeadCountKv(string architecture) => $"{architecture}.attention.head_count_kv";

    public static string RopeDimensionCount(string architecture) => $"{architecture}.rope.dimension_count";

    public static string RopeFreqBase(string architecture) => $"{architecture}.rope.freq_base";

    public static string RmsNormEpsilon(string architecture) => $"{architecture}.attention.layer_norm_rms_epsilon";

    public static string LayerNormEpsilon(string architecture) => $"{architecture}.attention.layer_norm_epsilon";

    public static string CausalAttention(string architecture) => $"{architecture}.attention.causal";

    public static string PoolingType(string architecture) => $"{architecture}.pooling_type";

    public static string VocabSize(string architecture) => $"{architecture}.vocab_size";
}
