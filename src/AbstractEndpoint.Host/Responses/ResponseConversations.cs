using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI.Responses;

namespace AbstractEndpoint.Host.Responses;

/// <summary>
/// Where a <c>/v1/responses</c> request runs: its previous response's conversation (<c>previous_response_id</c>) and,
/// on a backend that keeps conversation states (the local engine), a state of its own that starts as a fork of the
/// previous response's (O(1): the cells are shared), so only the new input is prefilled even after the slots served
/// other prompts. The request always carries the whole conversation too: when the previous state is gone (dropped
/// beyond <c>--responses-kv-states</c>, or its cells lost past the RAM budget), the same request is prefilled again
/// from the stored turns. Only a previous response whose record is gone is a 404.
/// </summary>
internal sealed class ResponseConversations(ResponseStore store)
{
    /// <summary>
    /// The turn for a request: its history (a 404 for an unknown, deleted or expired previous response, or another
    /// key's) and, when <paramref name="states"/> is given and the turn will be stored or continues a kept state, the
    /// conversation state it generates in.
    /// </summary>
    public ResponseTurn Begin(ParsedResponsesRequest parsed, string? owner, bool stored, IConversationStates? states)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var previous = Previous(parsed, owner);
        var history = previous?.Conversation;
        var request = history is null ? parsed.Request : parsed.Continuing(history);

        // A state from another backend (the model was reloaded) cannot be forked here: start empty.
        var continuing = previous?.State is { } kept && ReferenceEquals(kept.States, states) ? kept.Handle : null;
        ConversationStateLease? state = null;
        if (states is { Capacity: > 0 } && (stored || continuing is not null))
        {
            state = new ConversationStateLease(states, states.Open(continuing));
            request = request with { ConversationState = state.Handle };
        }

        return new ResponseTurn(store, parsed, history, request, state);
    }

    /// <summary>The stored conversation a request continues (null without <c>previous_response_id</c>), for counting its tokens.</summary>
    public IReadOnlyList<ChatMessage>? History(ParsedResponsesRequest parsed, string? owner) =>
        Previous(parsed, owner)?.Conversation;

    private StoredResponse? Previous(ParsedResponsesRequest parsed, string? owner)
    {
        if (parsed.Settings.PreviousResponseId is not { } previousId)
        {
            return null;
        }

        return store.Find(previousId, owner) ?? throw NotFound(previousId, "previous_response_id");
    }

    /// <summary>OpenAI's answer for an id that is unknown, deleted or expired (or another key's).</summary>
    public static NotFoundException NotFound(string id, string? param = null) =>
        new($"Response with id '{id}' not found.", param);
}
