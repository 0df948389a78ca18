using System.Globalization;
using LLama;

namespace AbstractEndpoint.Llama;

/// <summary>
/// Refuses a quantized KV cache type the model's heads cannot hold. llama.cpp stores q8_0 and q4_0 in blocks of 32
/// values per head row, and for a head size that is not a multiple of that it fails to create the context in a way
/// that ends the process (reproduced: a segmentation fault after "K cache type q8_0 with block size 32 does not
/// divide n_embd_head_k=8"), so the sizes are checked before the context is made.
/// </summary>
internal static class KvCacheTypeCheck
{
    private const int QuantBlock = 32;

    /// <summary>A reason the model cannot use <paramref name="options"/>' cache types, or null when it can.</summary>
    public static string? Problem(LLamaWeights weights, LlamaRuntimeOptions options)
    {
        var (keyHead, valueHead) = HeadSizes(weights);
        return Check("--cache-type-k", options.CacheTypeK, keyHead, "key")
            ?? Check("--cache-type-v", options.CacheTypeV, valueHead, "value");
    }

    private static string? Check(string flag, KvCacheType type, int headSize, string what) =>
        type == KvCacheType.F16 || headSize <= 0 || headSize % QuantBlock == 0 ? null
        : $"{flag} {LlamaRuntimeOptions.CacheTypeName(type)} stores blocks of {QuantBlock} values, and this model's {what} heads have {headSize}: use f16 for this model.";

    private static (int Key, int Value) HeadSizes(LLamaWeights weights)
    {
        var metadata = weights.Metadata;
        var architecture = metadata.GetValueOrDefault("general.architecture") ?? "";
        var heads = weights.NativeHandle.HeadCount;
        var fallback = heads > 0 ? weights.EmbeddingSize / heads : 0;
        return (Number(metadata, $"{architecture}.attention.key_length") ?? fallback,
            Number(metadata, $"{architecture}.attention.value_length") ?? fallback);
    }

    private static int? Number(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
