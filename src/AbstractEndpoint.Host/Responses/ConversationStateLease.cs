using AbstractEndpoint.Core.Backends;

namespace AbstractEndpoint.Host.Responses;

/// <summary>
/// One conversation state held for a response: disposing it frees the state (once, whoever disposes first), which
/// the store does when the response is deleted, expires or is pushed out, and a turn does when it is not stored.
/// </summary>
internal sealed class ConversationStateLease(IConversationStates states, string handle) : IDisposable
{
    private int _released;

    /// <summary>The backend's handle (<see cref="Core.Chat.ChatRequest.ConversationState"/>).</summary>
    public string Handle { get; } = handle;

    /// <summary>The states it belongs to: a continuation forks it only on the same backend.</summary>
    public IConversationStates States { get; } = states;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            States.Release(Handle);
        }
    }
}
