using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Providers;

/// <summary>
/// An OpenAI-style upstream's <c>POST /completions</c> as this server's raw-prompt completions: the request written by
/// <see cref="CompletionRequestWireWriter"/>, the upstream's stream read by <see cref="CompletionChunkReader"/> and
/// each piece passed on as it arrives, over the chat backend's <see cref="UpstreamConnection"/> (same retries, errors,
/// cancellation and counters).
/// </summary>
internal sealed class RemoteTextCompletionBackend(UpstreamConnection connection) : ITextCompletionBackend
{
    public async IAsyncEnumerable<ChatUpdate> CompleteAsync(TextCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = CompletionRequestWireWriter.Write(request, connection.Settings.Model);
        await foreach (var update in connection.StreamAsync("completions", body, new CompletionChunkReader(), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
