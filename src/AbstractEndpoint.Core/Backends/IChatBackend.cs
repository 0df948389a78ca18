using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Core.Backends;

/// <summary>The engine seam: a local model or a remote provider answering chat requests as a stream.</summary>
public interface IChatBackend
{
    /// <summary>The id clients see in <c>/v1/models</c> and in responses.</summary>
    string ModelId { get; }

    /// <summary>
    /// Streams the reply. Client errors (<see cref="Errors.InvalidRequestException"/>) and overload
    /// (<see cref="Errors.ServerBusyException"/>) are thrown before <see cref="ChatAccepted"/> is yielded.
    /// Cancelling the token frees the request's resources promptly.
    /// </summary>
    IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken);
}
