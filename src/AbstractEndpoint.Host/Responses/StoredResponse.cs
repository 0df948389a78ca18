using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Host.Responses;

/// <summary>A finished <c>/v1/responses</c> reply kept for retrieval and continuation.</summary>
/// <param name="Id">The response id.</param>
/// <param name="Owner">The API key id that made it (null without keys): only that key sees it.</param>
/// <param name="Response">The response object, as it was answered.</param>
/// <param name="InputItems">This request's input items, each with its id.</param>
/// <param name="Conversation">
/// Every turn up to and including this reply (earlier responses' turns, this input, this reply), without the
/// instructions: what a continuation replays before its own input.
/// </param>
internal sealed record StoredResponse(
    string Id, string? Owner, ReadOnlyMemory<byte> Response, IReadOnlyList<JsonObject> InputItems, IReadOnlyList<ChatMessage> Conversation)
{
    /// <summary>
    /// The conversation's KV state on the local engine (null when none is kept): a continuation forks it. Freed by
    /// the store when the response leaves it.
    /// </summary>
    public ConversationStateLease? State { get; init; }
}
