using System.Text;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Reads an upstream's streamed <c>text_completion</c> chunks into domain updates, one chunk at a time (one reader
/// per stream): each choice's <c>text</c> as content, its legacy <c>logprobs</c> (parallel <c>tokens</c>,
/// <c>token_logprobs</c>, <c>top_logprobs</c>) as <see cref="LogprobsDelta"/> just before that text, and, as for chat,
/// finish reasons held until usage has come (<see cref="UpstreamChunkReader.Finish"/>).
/// </summary>
public sealed class CompletionChunkReader : UpstreamChunkReader
{
    private protected override void ReadChoice(JsonElement choice, int index, List<ChatUpdate> updates)
    {
        if (choice.TryGetProperty("logprobs", out var logprobs) && ReadLogprobs(logprobs) is { Count: > 0 } entries)
        {
            updates.Add(new LogprobsDelta(entries, index));
        }

        if (UpstreamChoiceTally.Text(choice, "text") is { Length: > 0 } text)
        {
            updates.Add(new ContentDelta(text, index));
        }
    }

    /// <summary>
    /// The legacy object's entries. Its tokens are text only: their bytes are taken as the text's UTF-8, and an
    /// alternative keyed by the same text as another is listed once (the object cannot hold both).
    /// </summary>
    private static List<TokenLogprob>? ReadLogprobs(JsonElement logprobs)
    {
        if (logprobs.ValueKind != JsonValueKind.Object
            || !logprobs.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var values = logprobs.TryGetProperty("token_logprobs", out var v) && v.ValueKind == JsonValueKind.Array ? v : default;
        var tops = logprobs.TryGetProperty("top_logprobs", out var t) && t.ValueKind == JsonValueKind.Array ? t : default;
        var entries = new List<TokenLogprob>();
        var i = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            var text = token.ValueKind == JsonValueKind.String ? token.GetString()! : "";
            var value = values.ValueKind == JsonValueKind.Array && i < values.GetArrayLength() && values[i].ValueKind == JsonValueKind.Number
                && values[i].TryGetSingle(out var number) ? number : float.NegativeInfinity;
            var alternatives = new List<TopLogprob>();
            if (tops.ValueKind == JsonValueKind.Array && i < tops.GetArrayLength() && tops[i].ValueKind == JsonValueKind.Object)
            {
                foreach (var top in tops[i].EnumerateObject())
                {
                    if (top.Value.ValueKind == JsonValueKind.Number && top.Value.TryGetSingle(out var alternative))
                    {
                        alternatives.Add(new TopLogprob(top.Name, alternative, Encoding.UTF8.GetBytes(top.Name)));
                    }
                }
            }

            entries.Add(new TokenLogprob(text, value, Encoding.UTF8.GetBytes(text), alternatives));
            i++;
        }

        return entries;
    }
}
