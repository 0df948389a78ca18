using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Reads one upstream API's streamed reply, one server-sent event's data at a time, into the domain's updates: what a
/// remote backend needs from each upstream dialect (OpenAI's chunks, Anthropic's Messages events).
/// </summary>
public interface IUpstreamChatStreamReader
{
    /// <summary>The reply's usage once the upstream has sent it.</summary>
    Usage? Usage { get; }

    IReadOnlyList<ChatUpdate> Read(ReadOnlySpan<byte> chunkJson);

    /// <summary>The finished updates, once the stream has ended; throws when the reply was never finished.</summary>
    IReadOnlyList<ChatUpdate> Finish();
}
