namespace AbstractEndpoint.Llama;

/// <summary>How to load the model and size its context.</summary>
public sealed record LlamaRuntimeOptions
{
    public required string ModelPath { get; init; }

    /// <summary>Total KV cells shared by all slots; null means the model's training length, capped at 8192.</summary>
    public int? ContextSize { get; init; }

    /// <summary>Most tokens in one decode (prompt chunks are cut to fit).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>CPU threads for decoding; the machine's cores by default (llama.cpp's own default is slower here).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Flash attention; null lets llama.cpp decide (it turns it on for the CPU backend). On the CPU it skips the
    /// KV cells of other sequences, which pays off with many streams; off, a long single prompt computes faster.
    /// </summary>
    public bool? FlashAttention { get; init; }

    /// <summary>Reads llama-server's <c>--flash-attn</c> values: <c>auto</c> (null), <c>on</c>, <c>off</c>.</summary>
    public static bool TryParseFlashAttention(string? text, out bool? value)
    {
        value = text?.ToLowerInvariant() switch
        {
            "on" => true,
            "off" => false,
            _ => null,
        };
        return value is not null || text is null || text.Equals("auto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Layers offloaded to the GPU (<c>--n-gpu-layers</c>); 0 keeps every layer on the CPU, <see cref="AllLayers"/> offloads all.</summary>
    public int GpuLayers { get; init; }

    /// <summary>What <see cref="GpuLayers"/> holds for "every layer" (llama.cpp's own sentinel: more than any model has).</summary>
    public const int AllLayers = 999;

    /// <summary>The GPU that holds the model with <see cref="GpuSplitMode.None"/>, and the scratch buffers otherwise.</summary>
    public int MainGpu { get; init; }

    public GpuSplitMode SplitMode { get; init; } = GpuSplitMode.Layer;

    /// <summary>Map the model file into memory (llama.cpp's default); false reads it into allocated memory.</summary>
    public bool UseMmap { get; init; } = true;

    /// <summary>Lock the model in RAM so the system never swaps it out.</summary>
    public bool LockMemory { get; init; }

    public KvCacheType CacheTypeK { get; init; } = KvCacheType.F16;

    public KvCacheType CacheTypeV { get; init; } = KvCacheType.F16;

    /// <summary>
    /// A directory holding a llama.cpp build of the commit LLamaSharp binds (<c>libllama</c> and its <c>ggml</c>
    /// libraries, e.g. a CUDA or Vulkan build), loaded instead of the packaged CPU libraries; null uses the packaged ones.
    /// </summary>
    public string? NativeLibraryDirectory { get; init; }

    /// <summary>Reads llama-server's cache type names: <c>f16</c>, <c>q8_0</c>, <c>q4_0</c>.</summary>
    public static bool TryParseCacheType(string text, out KvCacheType value)
    {
        foreach (var type in Enum.GetValues<KvCacheType>())
        {
            if (CacheTypeName(type).Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                value = type;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>llama-server's name of a cache type (<c>q8_0</c>).</summary>
    public static string CacheTypeName(KvCacheType type) => type.ToString().ToLowerInvariant();

    /// <summary>Both cache types in one label (<c>k=q8_0 v=f16</c>): what a saved KV state records and must match.</summary>
    public string KvCacheLabel => $"k={CacheTypeName(CacheTypeK)} v={CacheTypeName(CacheTypeV)}";

    /// <summary>Parallel sequences (slots).</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Extra sequences for named prompt caches (they share the unified KV cache with the slots).</summary>
    public int CacheSequences { get; init; }

    /// <summary>Every sequence the context provides: the slots and the extra ones.</summary>
    public int Sequences => Parallel + CacheSequences;
}
