using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Providers;

/// <summary>
/// An OpenAI-style upstream's <c>POST /embeddings</c>: the request written by <see cref="EmbeddingRequestWireWriter"/>
/// (with the client's <c>dimensions</c>, which the upstream's model may honour), the reply read by
/// <see cref="EmbeddingReplyReader"/>, over the chat backend's <see cref="UpstreamConnection"/>. The vectors' width is
/// the upstream's to say, so <see cref="Dimensions"/> is unknown here.
/// </summary>
internal sealed class RemoteEmbeddingBackend(UpstreamConnection connection) : IEmbeddingBackend
{
    public int? Dimensions => null;

    public async Task<EmbeddingResult> EmbedAsync(IReadOnlyList<TextPrompt> inputs, int? dimensions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var body = EmbeddingRequestWireWriter.Write(inputs, dimensions, connection.Settings.Model);
        var reply = await connection.PostForBodyAsync("embeddings", body, cancellationToken).ConfigureAwait(false);
        return EmbeddingReplyReader.Read(reply, inputs.Count);
    }
}
