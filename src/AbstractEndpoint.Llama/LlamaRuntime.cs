using System.Text;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Gguf;
using LLama;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Llama;

/// <summary>
/// The loaded model and its one context, behind the engine's <see cref="IModelRuntime"/> seam. The KV cache is
/// unified (every slot may use all cells, and sequence copies share cells). Decode, sampling and KV calls are
/// made by the inference loop thread only.
/// </summary>
public sealed partial class LlamaRuntime : IModelRuntime
{
    private const int DefaultContextCap = 8192;

    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly LLamaBatch _nativeBatch = new();
    private readonly LlamaVocabulary _vocabulary;

    private LlamaRuntime(LLamaWeights weights, LLamaContext context, ModelInfo info)
    {
        _weights = weights;
        _context = context;
        _vocabulary = new LlamaVocabulary(weights.NativeHandle);
        Info = info;
    }

    public ModelInfo Info { get; }

    public IVocabulary Vocabulary => _vocabulary;

    /// <summary>
    /// False for an encoder-only model (a BERT-style embedding model): llama.cpp gives its context no memory, so it
    /// can only encode. Such a model serves embeddings and tokenization; nothing may generate with it.
    /// </summary>
    public bool GeneratesText => LlamaContextMemory.Exists(_context.NativeHandle);

    /// <summary>The model's <c>general.architecture</c> (for messages), or "unknown".</summary>
    public string Architecture =>
        _weights.Metadata.TryGetValue("general.architecture", out var architecture) ? architecture : "unknown";

    /// <summary>The loaded weights, for a second context over them (<see cref="LlamaEmbeddingContext"/>).</summary>
    internal LLamaWeights Weights => _weights;

    /// <summary>The native context, for <see cref="RawDecodeLoop"/> (never while an inference loop runs on it).</summary>
    internal SafeLLamaContextHandle Context => _context.NativeHandle;

    /// <summary>Loads the model and creates its context, or throws <see cref="ModelLoadException"/> with the reason.</summary>
    public static LlamaRuntime Load(LlamaRuntimeOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        LlamaNativeLibrary.Select(options.NativeLibraryDirectory);
        LlamaNativeLog.Configure(logger);
        CheckModelFile(options.ModelPath);
        LlamaNativeLog.ClearRecentProblems();
        LlamaNativeLibrary.EnsureLoaded();
        LlamaNativeLibrary.LogBackend(logger, LlamaNativeLibrary.Describe());

        var parameters = LlamaModelParameters.Create(options);

        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ModelLoadException(
                $"llama.cpp could not load '{options.ModelPath}': {Reason(ex)}", ex);
        }

        if (KvCacheTypeCheck.Problem(weights, options) is { } problem)
        {
            weights.Dispose();
            throw new ModelLoadException(problem);
        }

        var trainContext = weights.NativeHandle.ContextSize;
        var requested = options.ContextSize ?? Math.Min(trainContext > 0 ? trainContext : DefaultContextCap, DefaultContextCap);
        var contextSize = LlamaModelParameters.ContextSize(options, requested);
        if (contextSize > requested)
        {
            LogContextRaised(logger, requested, contextSize);
        }

        parameters.ContextSize = (uint)contextSize;

        LLamaContext context;
        try
        {
            context = weights.CreateContext(parameters);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            weights.Dispose();
            throw new ModelLoadException(
                $"Could not create a context of {contextSize} tokens for '{options.ModelPath}' (not enough memory? " +
                $"try a smaller --ctx-size): {Reason(ex)}", ex);
        }

        var template = ReadChatTemplate(weights.NativeHandle);
        var info = new ModelInfo(
            (int)context.ContextSize,
            // What a step may carry: the configured batch, which the context's may exceed (see ContextBatch).
            Math.Min((int)context.BatchSize, options.BatchSize),
            options.Sequences,
            trainContext,
            template);
        return new LlamaRuntime(weights, context, info);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "--ctx-size {Requested} is below one cell per sequence (slots, named caches and conversation states); the context gets {Cells} cells")]
    private static partial void LogContextRaised(ILogger logger, int requested, int cells);

    /// <summary>The model's facts for <c>/props</c> and <c>/v1/models</c>.</summary>
    public ModelProperties Describe(int slots, string chatTemplateName, string chatTemplate) => new(
        Info.ContextSize,
        Info.TrainContextSize,
        _vocabulary.VocabularySize,
        (long)_weights.ParameterCount,
        (long)_weights.SizeInBytes,
        slots,
        _vocabulary.BosToken is { } bos ? new SpecialToken(bos, _vocabulary.BosText) : null,
        _vocabulary.EosToken is { } eos ? new SpecialToken(eos, _vocabulary.EosText) : null,
        _vocabulary.AddsBos,
        chatTemplateName,
        chatTemplate,
        $"LLamaSharp {typeof(LLamaWeights).Assembly.GetName().Version?.ToString(3)} (llama.cpp, CPU)");

    public DecodeStatus Decode(TokenBatch batch)
    {
        _nativeBatch.Clear();
        var tokens = batch.Tokens;
        var positions = batch.Positions;
        var sequences = batch.Sequences;
        var logits = batch.WantsLogits;
        for (var i = 0; i < tokens.Length; i++)
        {
            _nativeBatch.Add(tokens[i], positions[i], (LLamaSeqId)sequences[i], logits[i]);
        }

        return _context.NativeHandle.Decode(_nativeBatch) switch
        {
            DecodeResult.Ok => DecodeStatus.Ok,
            DecodeResult.NoKvSlot => DecodeStatus.NoKvSlot,
            _ => DecodeStatus.Failed,
        };
    }

    public ITokenSampler CreateSampler(SamplingOptions options) =>
        new LlamaSampler(_context.NativeHandle, _vocabulary, options);

    public void RemoveTokens(int sequence, int from, int to) =>
        _context.NativeHandle.MemorySequenceRemove((LLamaSeqId)sequence, from, to);

    public void CopySequence(int source, int destination, int from, int to) =>
        _context.NativeHandle.MemorySequenceCopy((LLamaSeqId)source, (LLamaSeqId)destination, from, to);

    public long SequenceStateSize(int sequence) => (long)_context.NativeHandle.GetStateSize((LLamaSeqId)sequence);

    public unsafe byte[] ReadSequenceState(int sequence)
    {
        var context = _context.NativeHandle;
        var state = new byte[context.GetStateSize((LLamaSeqId)sequence)];
        nuint written;
        fixed (byte* destination = state)
        {
            written = context.GetState(destination, (nuint)state.Length, (LLamaSeqId)sequence);
        }

        return written == (nuint)state.Length ? state : state[..(int)written];
    }

    public unsafe bool WriteSequenceState(int sequence, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        fixed (byte* source = state)
        {
            return _context.NativeHandle.SetState(source, (nuint)state.Length, (LLamaSeqId)sequence) > 0;
        }
    }

    public void Dispose()
    {
        _context.Dispose();
        _weights.Dispose();
    }

    private static void CheckModelFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model file not found: '{path}'.");
        }

        // Read the header ourselves first: llama.cpp's own errors for a wrong file are terse, ours name what it is
        // (a Git LFS pointer, an HTML page, safetensors…).
        try
        {
            GgufFile.Read(path);
        }
        catch (GgufFormatException ex)
        {
            throw new ModelLoadException(ex.Message, ex);
        }
    }

    private static string? ReadChatTemplate(SafeLlamaModelHandle model)
    {
        var bytes = model.MetadataValueByKey("tokenizer.chat_template");
        return bytes is { Length: > 0 } value ? Encoding.UTF8.GetString(value.Span) : null;
    }

    private static string Reason(Exception ex)
    {
        var native = LlamaNativeLog.RecentProblemsText();
        return native.Length > 0 ? native : ex.Message;
    }
}
