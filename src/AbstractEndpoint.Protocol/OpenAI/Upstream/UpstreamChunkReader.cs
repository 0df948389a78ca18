using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// What reading OpenAI's streamed chunks takes for chat and text completions alike, one chunk at a time (one reader per
/// stream): the chunk parsed, its usage, telemetry and error event taken by the <see cref="UpstreamChoiceTally"/>, each
/// choice handed to the dialect's <see cref="ReadChoice"/> and then tallied, and the finish reasons held until usage has
/// come (<see cref="Finish"/>).
/// </summary>
public abstract class UpstreamChunkReader : IUpstreamChatStreamReader
{
    private readonly UpstreamChoiceTally _tally = new();

    private protected UpstreamChunkReader()
    {
    }

    /// <summary>The upstream's usage, once a chunk carried it.</summary>
    public Usage? Usage => _tally.Usage;

    /// <summary>The updates one chunk (the JSON after <c>data: </c>) carries; an error event throws its error.</summary>
    public IReadOnlyList<ChatUpdate> Read(ReadOnlySpan<byte> chunkJson)
    {
        using var document = JsonDocument.Parse(chunkJson.ToArray());
        var root = document.RootElement;
        _tally.ReadChunk(root);
        var updates = new List<ChatUpdate>();
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                var index = UpstreamChoiceTally.ChoiceIndex(choice);
                ReadChoice(choice, index, updates);
                _tally.Saw(index, choice);
            }
        }

        return updates;
    }

    /// <summary>
    /// One <see cref="ChatFinished"/> per choice, in choice order, once the stream has ended (the upstream's
    /// <c>abstractcore</c> telemetry on each when it sent one). The upstream's usage is the request's: its completion
    /// tokens go to choice 0 (an upstream does not split them by choice).
    /// </summary>
    public IReadOnlyList<ChatUpdate> Finish() => _tally.Finish();

    /// <summary>Adds what one choice of a chunk carries (its output; its finish reason is tallied after).</summary>
    private protected abstract void ReadChoice(JsonElement choice, int index, List<ChatUpdate> updates);
}
