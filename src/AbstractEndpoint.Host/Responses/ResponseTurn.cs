using System.Buffers;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Protocol.OpenAI.Responses;

namespace AbstractEndpoint.Host.Responses;

/// <summary>
/// One <c>/v1/responses</c> generation in its conversation (made by <see cref="ResponseConversations.Begin"/>): the
/// request to generate, and the conversation state it runs in until <see cref="Keep"/> hands that state to the
/// stored response. Disposing a turn that was not kept frees the state.
/// </summary>
internal sealed class ResponseTurn(
    ResponseStore store, ParsedResponsesRequest parsed, IReadOnlyList<ChatMessage>? history, ChatRequest request, ConversationStateLease? state)
    : IDisposable
{
    private ConversationStateLease? _state = state;

    /// <summary>What to generate: the stored turns replayed before this input, bound to the conversation state if any.</summary>
    public ChatRequest Request { get; } = request;

    /// <summary>Stores the finished response with its whole conversation; the conversation state now lives and dies with it.</summary>
    public void Keep(string? owner, ResponseEventStream response)
    {
        ArgumentNullException.ThrowIfNull(response);
        List<ChatMessage> conversation = [.. history ?? [], .. parsed.InputMessages];
        if (response.ToAssistantMessage() is { } reply)
        {
            conversation.Add(reply);
        }

        var buffer = new ArrayBufferWriter<byte>();
        response.WriteResponse(buffer);
        var state = Interlocked.Exchange(ref _state, null);
        store.Add(new StoredResponse(response.Header.Id, owner, buffer.WrittenMemory.ToArray(), parsed.InputItems, conversation) { State = state });
    }

    public void Dispose() => Interlocked.Exchange(ref _state, null)?.Dispose();
}
