using LLama.Common;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// The one mapping from our options to LLamaSharp's model and context parameters, kept pure (no native call) so a
/// test can check that every flag reaches llama.cpp.
/// </summary>
public static class LlamaModelParameters
{
    /// <summary>The context's batch: the configured one, or the sequence count when that is larger (llama.cpp needs it).</summary>
    public static int ContextBatch(LlamaRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(options.BatchSize, options.Sequences);
    }

    /// <summary>
    /// The context's cells for a <paramref name="requested"/> size: at least one per sequence, since llama.cpp caps the
    /// batch at the context size and the batch must hold a row per sequence (see <see cref="ContextBatch"/>).
    /// </summary>
    public static int ContextSize(LlamaRuntimeOptions options, int requested)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Math.Max(requested, options.Sequences);
    }

    /// <summary>The parameters to load the model and create its context with; the context size is set after load.</summary>
    public static ModelParams Create(LlamaRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var contextBatch = (uint)ContextBatch(options);
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
            // llama.cpp keeps one output row per sequence and aborts the whole process at the first decode when the
            // context's batch is smaller than its sequence count (a --batch-size 32 beside the 58 sequences of the
            // default slots, named caches and conversation states did). The context gets at least that many; the
            // loop still plans steps of at most --batch-size (see ContextBatch).
            BatchSize = contextBatch,
            UBatchSize = contextBatch,
            SeqMax = (uint)options.Sequences,
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
