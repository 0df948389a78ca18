using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// The generation side of an encoder-only model (a BERT-style embedding model), which has none: every chat,
/// Responses, Messages or completions request is a 400 <c>unsupported_endpoint</c> that says what the model is and
/// what it serves, before anything reaches llama.cpp (whose context for such a model can only encode).
/// </summary>
internal sealed class EmbeddingOnlyBackend(string modelId, string architecture) : IChatBackend, ITextCompletionBackend
{
    public string ModelId => modelId;

    public IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken) => Refuse<ChatUpdate>();

    public IAsyncEnumerable<ChatUpdate> CompleteAsync(TextCompletionRequest request, CancellationToken cancellationToken) => Refuse<ChatUpdate>();

#pragma warning disable CS1998 // An iterator that only throws: the refusal comes from the first MoveNextAsync, as every backend's errors do.
    private async IAsyncEnumerable<T> Refuse<T>([EnumeratorCancellation] CancellationToken cancellationToken = default)
#pragma warning restore CS1998
    {
        throw new InvalidRequestException(
            $"The model '{modelId}' is an embedding model (architecture '{architecture}', encoder only): it cannot generate text. " +
            "It serves /v1/embeddings, /tokenize and /detokenize.",
            null, "unsupported_endpoint");
#pragma warning disable CS0162 // Unreachable, but the compiler needs a yield to make this an iterator.
        yield break;
#pragma warning restore CS0162
    }
}
