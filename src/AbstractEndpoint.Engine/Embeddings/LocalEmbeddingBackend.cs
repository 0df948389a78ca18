using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Embeddings;

/// <summary>
/// The local model as an <see cref="IEmbeddingBackend"/>. Inputs are tokenized on the request thread (text with the
/// model's BOS/EOS as its metadata asks, token ids as given) and handed to the <see cref="IEmbeddingScheduler"/>,
/// which packs them, in order, into decodes of the embedding context: the inference loop, within each step's
/// budget beside running streams (a long request never holds a stream back by more than that), or, for a model that
/// cannot generate, <see cref="SerialEmbeddingScheduler"/>. The embedding context is a second, small llama.cpp
/// context over the same loaded weights, created on the first request (a chat-only server pays nothing for it).
/// </summary>
public sealed class LocalEmbeddingBackend(
    IVocabulary vocabulary, Func<IEmbeddingRuntime> createRuntime, int normalization = EmbeddingNormalization.Euclidean,
    IEmbeddingScheduler? scheduler = null)
    : IEmbeddingBackend, IDisposable
{
    private readonly Lazy<IEmbeddingRuntime> _runtime = new(createRuntime, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SerialEmbeddingScheduler? _serial = scheduler is null ? new SerialEmbeddingScheduler() : null;

    public int? Dimensions => _runtime.Value.Dimensions;

    /// <inheritdoc/>
    /// <remarks>A vector is the model's full width: <paramref name="dimensions"/> was checked against it by the host.</remarks>
    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var runtime = _runtime.Value;
        var tokens = inputs.Select((input, i) => Tokens(input, i, runtime.MaxBatchTokens)).ToArray();
        var vectors = await (scheduler ?? _serial!).EmbedAsync(runtime, tokens, cancellationToken).ConfigureAwait(false);
        foreach (var vector in vectors)
        {
            EmbeddingNormalization.Apply(vector, normalization);
        }

        return new EmbeddingResult(vectors, tokens.Sum(t => t.Length));
    }

    public void Dispose()
    {
        if (_runtime.IsValueCreated)
        {
            _runtime.Value.Dispose();
        }

        _serial?.Dispose();
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
