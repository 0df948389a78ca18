using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>A validated <c>/v1/responses</c> body: the domain request plus what the response repeats and stores.</summary>
/// <param name="Request">What the backend runs: the instructions, then the input (no earlier response's turns yet).</param>
/// <param name="Model">The model name the client asked for (checked by the host).</param>
/// <param name="Stream">Answer as the Responses API's server-sent events.</param>
/// <param name="Settings">The parameters the response object echoes.</param>
public sealed record ParsedResponsesRequest(ChatRequest Request, string Model, bool Stream, ResponseSettings Settings)
{
    /// <summary>The input as conversation turns, without the instructions (which are not carried to a continuation).</summary>
    public IReadOnlyList<ChatMessage> InputMessages { get; init; } = [];

    /// <summary>The input as items, each with an id, as <c>GET /v1/responses/{id}/input_items</c> lists them.</summary>
    public IReadOnlyList<JsonObject> InputItems { get; init; } = [];

    /// <summary>Fields accepted without effect (lenient mode), in body order, for the host's debug log.</summary>
    public IReadOnlyList<IgnoredField> Ignored { get; init; } = [];

    /// <summary>
    /// The request continuing <paramref name="history"/> (a stored response's conversation): instructions, then the
    /// history, then this input, so the prompt begins with the tokens the previous turn left in the KV cache.
    /// </summary>
    public ChatRequest Continuing(IReadOnlyList<ChatMessage> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        List<ChatMessage> messages = [];
        if (Settings.Instructions is { Length: > 0 } instructions)
        {
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        messages.AddRange(history);
        messages.AddRange(InputMessages);
        return Request with { Messages = messages };
    }
}
