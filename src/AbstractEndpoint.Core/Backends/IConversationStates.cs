namespace AbstractEndpoint.Core.Backends;

/// <summary>
/// A conversation's computed state (the KV cells of its prompt and reply) kept between requests under handles the
/// server manages itself, never under a client's cache name: what lets a stored <c>/v1/responses</c> reply be
/// continued by prefilling only the new turn. Bounded: past its capacity the least recently used state is dropped,
/// and a request bound to a dropped handle simply computes its whole prompt. Implemented by the local engine only.
/// </summary>
public interface IConversationStates
{
    /// <summary>
    /// A new state: a copy of <paramref name="continuing"/>'s (sharing its cells, nothing recomputed) when that handle
    /// is still held, else empty. Set the returned handle as <see cref="Chat.ChatRequest.ConversationState"/> to start
    /// a generation from it; the generation's prompt and reply then become its content.
    /// </summary>
    string Open(string? continuing);

    /// <summary>Frees the state; a handle already dropped or released is ignored.</summary>
    void Release(string handle);

    /// <summary>States held now (released and dropped ones excluded).</summary>
    int Count { get; }

    /// <summary>States kept at most.</summary>
    int Capacity { get; }
}
