using System.Text.Json;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.AbstractCore;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// What an OpenAI-style stream reader keeps until the stream ends (both chat and completion chunks): the choices
/// seen, their finish reasons (held, because usage comes in a later chunk), the usage, and the upstream's own
/// <c>abstractcore</c> telemetry when it is one of ours. <see cref="Finish"/> then ends every choice.
/// </summary>
internal sealed class UpstreamChoiceTally
{
    private readonly Dictionary<int, FinishReason> _finished = [];
    private readonly HashSet<int> _choices = [];

    public Usage? Usage { get; private set; }

    public ReplyTelemetry? Telemetry { get; private set; }

    /// <summary>Reads the chunk's top-level members: an error (thrown), usage and telemetry.</summary>
    public void ReadChunk(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("a stream chunk is not a JSON object");
        }

        if (root.TryGetProperty("error", out var error))
        {
            throw UpstreamErrorReader.FromErrorElement(error, 502, "the upstream reported an error in the stream");
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Usage = ReadUsage(usage);
        }

        if (root.TryGetProperty(ReplyTelemetryJson.PropertyName, out var telemetry) && ReplyTelemetryJson.Read(telemetry) is { } read)
        {
            Telemetry = read;
        }
    }

    /// <summary>Records choice <paramref name="index"/>, and its finish reason when this chunk carries one.</summary>
    public void Saw(int index, JsonElement choice)
    {
        _choices.Add(index);
        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            _finished[index] = finish.GetString() switch
            {
                "length" => FinishReason.Length,
                "tool_calls" or "function_call" => FinishReason.ToolCalls,
                _ => FinishReason.Stop,
            };
        }
    }

    /// <summary>
    /// One <see cref="ChatFinished"/> per choice, in choice order, once the stream has ended. The upstream's usage is
    /// the request's: its completion tokens go to choice 0 (an upstream does not split them by choice).
    /// </summary>
    public IReadOnlyList<ChatUpdate> Finish()
    {
        var unfinished = _choices.Where(c => !_finished.ContainsKey(c)).Order().ToList();
        if (unfinished.Count > 0 || _finished.Count == 0)
        {
            throw new UpstreamException(
                "The upstream's stream ended before it finished the reply.", 502, code: "upstream_incomplete");
        }

        var usage = Usage ?? new Usage(0, 0, 0);
        return [.. _finished.OrderBy(f => f.Key).Select(f => new ChatFinished(
            f.Value, f.Key == 0 ? usage : new Usage(usage.PromptTokens, 0, usage.CachedTokens), f.Key) { Telemetry = Telemetry })];
    }

    public static int Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number : 0;

    public static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int ChoiceIndex(JsonElement choice) =>
        choice.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var index) ? index : 0;

    private static Usage ReadUsage(JsonElement usage)
    {
        var cached = usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object
            ? Number(details, "cached_tokens") : 0;
        return new Usage(Number(usage, "prompt_tokens"), Number(usage, "completion_tokens"), cached);
    }
}
