using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>The server's settings as the runtime's load options: the one place every engine flag is handed over.</summary>
internal static class LlamaRuntimeOptionsMapping
{
    public static LlamaRuntimeOptions From(EndpointOptions options, string modelPath, SequenceLayout layout) => new()
    {
        ModelPath = modelPath,
        ContextSize = options.ContextSize,
        BatchSize = options.BatchSize,
        FlashAttention = options.FlashAttention,
        Threads = options.Threads,
        Parallel = layout.Slots,
        CacheSequences = layout.CacheSequences + layout.StateSequences,
        GpuLayers = options.GpuLayers,
        MainGpu = options.MainGpu,
        SplitMode = options.SplitMode,
        UseMmap = !options.NoMmap,
        LockMemory = options.Mlock,
        CacheTypeK = options.CacheTypeK,
        CacheTypeV = options.CacheTypeV,
        NativeLibraryDirectory = options.LlamaNativeDir,
    };
}
