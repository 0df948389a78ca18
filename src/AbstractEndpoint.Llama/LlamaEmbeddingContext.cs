using System.Globalization;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Runtime;
using LLama;
using LLama.Common;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>
/// A second llama.cpp context with embeddings on, over the weights the runtime already loaded (llama.cpp contexts
/// share a model's tensors: no second copy). Small: <see cref="MaxBatchTokens"/> cells and as many per batch, up to
/// <see cref="MaxSequences"/> inputs per decode, each input one sequence, pooled by llama.cpp. Its KV cells (a causal
/// model has some) are cleared after every decode.
/// </summary>
public sealed class LlamaEmbeddingContext : IEmbeddingRuntime
{
    /// <summary>Tokens per decode (and per input) at most, unless the model's context is smaller.</summary>
    public const int DefaultBatchTokens = 2048;

    /// <summary>Inputs per decode; llama.cpp allows up to 256 sequences in a context.</summary>
    public const int DefaultSequences = 64;

    private readonly LLamaContext _context;
    private readonly LLamaBatch _batch = new();

    private LlamaEmbeddingContext(LLamaContext context, int maxBatchTokens, int maxSequences, EmbeddingPooling pooling)
    {
        _context = context;
        MaxBatchTokens = maxBatchTokens;
        MaxSequences = maxSequences;
        Pooling = pooling;
        Dimensions = context.EmbeddingSize;
    }

    public int Dimensions { get; }

    public int MaxBatchTokens { get; }

    public int MaxSequences { get; }

    /// <summary>The pooling in use: the override, else the model's metadata, else last-token for a model that names none.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>Creates the context over <paramref name="runtime"/>'s weights.</summary>
    /// <param name="runtime">The loaded model.</param>
    /// <param name="pooling">The <c>--pooling</c> override; null reads the model's metadata.</param>
    /// <param name="threads">CPU threads for its decodes (the generation context's count).</param>
    public static LlamaEmbeddingContext Create(LlamaRuntime runtime, EmbeddingPooling? pooling, int threads)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var weights = runtime.Weights;
        var resolved = pooling ?? ModelPooling(weights);
        var trainContext = runtime.Info.TrainContextSize;
        var tokens = Math.Min(DefaultBatchTokens, Math.Min(runtime.Info.ContextSize, trainContext > 0 ? trainContext : DefaultBatchTokens));
        var parameters = new ModelParams("")
        {
            ContextSize = (uint)tokens,
            BatchSize = (uint)tokens,
            // Non-causal (BERT-like) models need a whole input in one micro-batch.
            UBatchSize = (uint)tokens,
            SeqMax = DefaultSequences,
            KVUnified = true,
            Embeddings = true,
            PoolingType = resolved switch
            {
                EmbeddingPooling.Mean => LLamaPoolingType.Mean,
                EmbeddingPooling.Cls => LLamaPoolingType.CLS,
                _ => LLamaPoolingType.Last,
            },
            Threads = threads,
            BatchThreads = threads,
        };
        return new LlamaEmbeddingContext(weights.CreateContext(parameters), tokens, DefaultSequences, resolved);
    }

    public float[][] Embed(IReadOnlyList<IReadOnlyList<int>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count > MaxSequences || inputs.Sum(i => i.Count) > MaxBatchTokens)
        {
            // More than n_batch tokens aborts llama.cpp; the caller packs within these limits.
            throw new ArgumentException($"A batch takes at most {MaxSequences} inputs and {MaxBatchTokens} tokens.", nameof(inputs));
        }

        var handle = _context.NativeHandle;
        _batch.Clear();
        for (var sequence = 0; sequence < inputs.Count; sequence++)
        {
            var input = inputs[sequence];
            for (var position = 0; position < input.Count; position++)
            {
                // Every token is an output: llama.cpp pools over the outputs of a sequence.
                _batch.Add(input[position], position, (LLamaSeqId)sequence, true);
            }
        }

        try
        {
            var result = handle.Decode(_batch);
            if (result != DecodeResult.Ok)
            {
                throw new InvalidOperationException($"The embedding decode failed ({result}).");
            }

            var vectors = new float[inputs.Count][];
            for (var sequence = 0; sequence < inputs.Count; sequence++)
            {
                vectors[sequence] = handle.GetEmbeddingsSeq((LLamaSeqId)sequence).ToArray();
            }

            return vectors;
        }
        finally
        {
            handle.MemoryClear(true);
        }
    }

    public void Dispose()
    {
        _context.Dispose();
    }

    // GGUF <arch>.pooling_type: 0 none, 1 mean, 2 cls, 3 last, 4 rank. A model that names none (a decoder) is
    // pooled at its last token, the one that has seen the whole input; rank gives a score, not a vector.
    private static EmbeddingPooling ModelPooling(LLamaWeights weights)
    {
        var metadata = weights.Metadata;
        var type = metadata.TryGetValue("general.architecture", out var architecture)
            && metadata.TryGetValue(architecture + ".pooling_type", out var value)
            && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return type switch
        {
            1 => EmbeddingPooling.Mean,
            2 => EmbeddingPooling.Cls,
            4 => throw new InvalidRequestException(
                "This model's pooling is 'rank' (a reranker): it scores pairs and gives no single vector per input. Start the server with --pooling mean|cls|last to embed with it.",
                null, "unsupported_model"),
            _ => EmbeddingPooling.Last,
        };
    }
}
