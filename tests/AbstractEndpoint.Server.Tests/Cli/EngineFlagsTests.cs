using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;
using LLama.Native;

namespace AbstractEndpoint.Server.Tests.Cli;

/// <summary>
/// The GPU-ready engine flags from the command line to the parameters llama.cpp is given (only the CPU path runs
/// here, so what is checked is that each value arrives), and the combinations refused before anything loads.
/// </summary>
public sealed class EngineFlagsTests
{
    [Fact]
    public async Task Every_engine_flag_reaches_the_model_and_context_parameters()
    {
        var options = await BindAsync(
            "-ngl", "12", "--main-gpu", "1", "--split-mode", "row", "--no-mmap", "--mlock",
            "--cache-type-k", "q8_0", "--cache-type-v", "q4_0", "--flash-attn", "on", "--llama-native-dir", Path.GetTempPath());

        var runtime = LlamaRuntimeOptionsMapping.From(options, "/models/m.gguf", Engine.Scheduling.SequenceLayout.ForCaches(4, 8));
        Assert.Equal(Path.GetTempPath(), runtime.NativeLibraryDirectory);
        Assert.Equal("k=q8_0 v=q4_0", runtime.KvCacheLabel);

        var parameters = LlamaModelParameters.Create(runtime);
        Assert.Equal(12, parameters.GpuLayerCount);
        Assert.Equal(1, parameters.MainGpu);
        Assert.Equal(GPUSplitMode.Row, parameters.SplitMode);
        Assert.Equal(LLamaLoadMode.MemoryLock, parameters.LoadMode);
        Assert.Equal(GGMLType.GGML_TYPE_Q8_0, parameters.TypeK);
        Assert.Equal(GGMLType.GGML_TYPE_Q4_0, parameters.TypeV);
        Assert.True(parameters.FlashAttention);
        Assert.Equal("/models/m.gguf", parameters.ModelPath);
    }

    [Fact]
    public async Task By_default_the_model_is_mapped_on_the_CPU_with_an_f16_cache()
    {
        var parameters = LlamaModelParameters.Create(
            LlamaRuntimeOptionsMapping.From(await BindAsync(), "m.gguf", Engine.Scheduling.SequenceLayout.ForCaches(4, 8)));

        Assert.Equal(0, parameters.GpuLayerCount);
        Assert.Equal(0, parameters.MainGpu);
        Assert.Equal(GPUSplitMode.Layer, parameters.SplitMode);
        Assert.Equal(LLamaLoadMode.MemoryMap, parameters.LoadMode);
        Assert.Equal(GGMLType.GGML_TYPE_F16, parameters.TypeK);
        Assert.Equal(GGMLType.GGML_TYPE_F16, parameters.TypeV);
    }

    [Theory]
    [InlineData("512", 512)]
    [InlineData("8", 4 + 8 + 2)] // the sequences: 4 slots, 8 named caches and 2 working copies
    public async Task The_context_batch_holds_at_least_one_row_per_sequence(string batchSize, int expected)
    {
        var parameters = LlamaModelParameters.Create(
            LlamaRuntimeOptionsMapping.From(await BindAsync("--batch-size", batchSize), "m.gguf", Engine.Scheduling.SequenceLayout.ForCaches(4, 8)));

        Assert.Equal((uint)expected, parameters.BatchSize);
        Assert.Equal((uint)expected, parameters.UBatchSize);
        Assert.Equal(14u, parameters.SeqMax);
    }

    [Theory]
    [InlineData(4096, 4096)]
    [InlineData(8, 4 + 8 + 2)]
    public async Task The_context_holds_at_least_one_cell_per_sequence(int requested, int expected)
    {
        var runtime = LlamaRuntimeOptionsMapping.From(await BindAsync(), "m.gguf", Engine.Scheduling.SequenceLayout.ForCaches(4, 8));

        Assert.Equal(expected, LlamaModelParameters.ContextSize(runtime, requested));
    }

    [Theory]
    [InlineData("all", LlamaRuntimeOptions.AllLayers)]
    [InlineData("-1", LlamaRuntimeOptions.AllLayers)]
    [InlineData("0", 0)]
    [InlineData("99", 99)]
    public async Task Gpu_layers_take_a_count_or_all(string text, int expected) =>
        Assert.Equal(expected, LlamaModelParameters.Create(
            LlamaRuntimeOptionsMapping.From(await BindAsync("--n-gpu-layers", text), "m.gguf", Engine.Scheduling.SequenceLayout.ForCaches(1, 1))).GpuLayerCount);

    [Theory]
    [InlineData("q8_0", "off", true)]
    [InlineData("q4_0", "off", true)]
    [InlineData("q8_0", "auto", false)]
    [InlineData("q8_0", "on", false)]
    [InlineData("f16", "off", false)]
    public async Task A_quantized_value_cache_without_flash_attention_is_refused(string cacheTypeV, string flashAttention, bool refused)
    {
        var error = new StringWriter();
        var code = await EndpointCommand.RunAsync(
            ["--cache-type-v", cacheTypeV, "--flash-attn", flashAttention], new VariableTable([]), (_, _) => Task.FromResult(0), error: error);

        Assert.Equal(refused ? 2 : 0, code);
        if (refused)
        {
            Assert.Contains($"--cache-type-v {cacheTypeV} needs flash attention", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--cache-type-k", "q5_1", "must be f16, q8_0 or q4_0")]
    [InlineData("--split-mode", "tensor", "must be none, layer or row")]
    [InlineData("--n-gpu-layers", "many", "must be a number of layers")]
    public async Task A_wrong_engine_value_is_a_usage_error(string flag, string value, string message)
    {
        var error = new StringWriter();
        var code = await EndpointCommand.RunAsync([flag, value], new VariableTable([]), (_, _) => Task.FromResult(0), error: error);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<EndpointOptions> BindAsync(params string[] args)
    {
        EndpointOptions? captured = null;
        var code = await EndpointCommand.RunAsync(args, new VariableTable([]), (options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        }, error: TextWriter.Null);
        Assert.Equal(0, code);
        return captured!;
    }
}
