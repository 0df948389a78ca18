using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>
/// The local model as an <see cref="IEmbeddingBackend"/>. Inputs are tokenized on the request thread (text with the
/// model's BOS/EOS as its metadata asks, token ids as given), then packed, in order, into as few decodes of the
/// embedding context as its batch allows: many inputs per decode, one decode at a time. The embedding context is a
/// second, small llama.cpp context over the same loaded weights, created on the first request (a chat-only server
/// pays nothing for it). Its decodes interleave with the inference loop's at decode granularity (LLamaSharp
/// serialises decodes of all contexts), so a long embeddings request delays a generation step by at most one
/// embedding batch.
/// </summary>
public sealed class LocalEmbeddingBackend(IVocabulary vocabulary, Func<IEmbeddingRuntime> createRuntime, int normalization = EmbeddingNormalization.Euclidean)
    : IEmbeddingBackend, IDisposable
{
    private readonly Lazy<IEmbeddingRuntime> _runtime = new(createRuntime, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _decodes;

    public int? Dimensions => _runtime.Value.Dimensions;

    /// <summary>Decodes made so far (for the benchmark and tests: how inputs were packed).</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <inheritdoc/>
    /// <remarks>A vector is the model's full width: <paramref name="dimensions"/> was checked against it by the host.</remarks>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var runtime = _runtime.Value;
        var tokens = inputs.Select((input, i) => Tokens(input, i, runtime.MaxBatchTokens)).ToArray();
        var vectors = new float[tokens.Length][];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var start = 0;
            while (start < tokens.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var end = start;
                var batchTokens = 0;
                while (end < tokens.Length && end - start < runtime.MaxSequences && batchTokens + tokens[end].Length <= runtime.MaxBatchTokens)
                {
                    batchTokens += tokens[end].Length;
                    end++;
                }

                var pooled = runtime.Embed(tokens[start..end]);
                Interlocked.Increment(ref _decodes);
                for (var i = 0; i < pooled.Length; i++)
                {
                    EmbeddingNormalization.Apply(pooled[i], normalization);
                    vectors[start + i] = pooled[i];
                }

                start = end;
            }
        }
        finally
        {
            _gate.Release();
        }

        return new EmbeddingResult(vectors, tokens.Sum(t => t.Length));
    }

    public void Dispose()
    {
        if (_runtime.IsValueCreated)
        {
            _runtime.Value.Dispose();
        }

        _gate.Dispose();
    }

    private int[] Tokens(TextPrompt input, int index, int maxTokens)
    {
        var param = $"input[{index}]";
        int[] tokens;
        if (input.Tokens is { } given)
        {
            tokens = [.. given];
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i] < 0 || tokens[i] >= vocabulary.VocabularySize)
                {
                    throw new InvalidRequestException(
                        $"Invalid '{param}': token id {tokens[i]} at position {i} is outside the vocabulary ({vocabulary.VocabularySize} tokens).",
                        "input", "invalid_value");
                }
            }
        }
        else
        {
            // add_special as llama-server embeds: BOS (and EOS/SEP where the model adds one) when the metadata asks.
            tokens = vocabulary.Tokenize(input.Text!, addBos: vocabulary.AddsBos, parseSpecial: true);
        }

        if (tokens.Length == 0)
        {
            throw new InvalidRequestException($"Invalid '{param}': the input has no tokens.", "input", "invalid_value");
        }

        if (tokens.Length > maxTokens)
        {
            throw new InvalidRequestException(
                $"Invalid '{param}': {tokens.Length} tokens; the embedding context takes at most {maxTokens} per input.",
                "input", "invalid_value");
        }

        return tokens;
    }
}
