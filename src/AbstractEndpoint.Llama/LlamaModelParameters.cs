using LLama.Common;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// The one mapping from our options to LLamaSharp's model and context parameters, kept pure (no native call) so a
/// test can check that every flag reaches llama.cpp.
/// </summary>
public static class LlamaModelParameters
{
    /// <summary>The parameters to load the model and create its context with; the context size is set after load.</summary>
    public static ModelParams Create(LlamaRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ModelParams(options.ModelPath)
        {
            GpuLayerCount = options.GpuLayers,
            MainGpu = options.MainGpu,
            SplitMode = options.SplitMode switch
            {
                GpuSplitMode.None => GPUSplitMode.None,
                GpuSplitMode.Row => GPUSplitMode.Row,
                _ => GPUSplitMode.Layer,
            },
            LoadMode = (options.UseMmap, options.LockMemory) switch
            {
                (true, true) => LLamaLoadMode.MemoryMapAndLock,
                (true, false) => LLamaLoadMode.MemoryMap,
                (false, true) => LLamaLoadMode.MemoryLock,
                (false, false) => LLamaLoadMode.None,
            },
            Threads = options.Threads,
            BatchThreads = options.Threads,
            BatchSize = (uint)options.BatchSize,
            UBatchSize = (uint)options.BatchSize,
            SeqMax = (uint)(options.Parallel + options.CacheSequences),
            KVUnified = true,
            FlashAttention = options.FlashAttention,
            TypeK = Ggml(options.CacheTypeK),
            TypeV = Ggml(options.CacheTypeV),
        };
    }

    private static GGMLType Ggml(KvCacheType type) => type switch
    {
        KvCacheType.Q8_0 => GGMLType.GGML_TYPE_Q8_0,
        KvCacheType.Q4_0 => GGMLType.GGML_TYPE_Q4_0,
        _ => GGMLType.GGML_TYPE_F16,
    };
}
