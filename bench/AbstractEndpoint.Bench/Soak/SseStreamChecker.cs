using System.Text.Json;

namespace AbstractEndpoint.Bench.Soak;

/// <summary>
/// Checks one <c>/v1/chat/completions</c> stream line by line: every event is a <c>data:</c> line holding a
/// <c>chat.completion.chunk</c> of one id, each choice finishes exactly once, a usage chunk (no choices) comes only
/// after the finish, and <c>data: [DONE]</c> ends it with nothing after. Pure, so the soak's verdicts can be tested.
/// </summary>
public sealed class SseStreamChecker
{
    private readonly HashSet<int> _finished = [];
    private string? _id;
    private bool _done;

    /// <summary>Why the stream is garbled; null while it is well-formed.</summary>
    public string? Problem { get; private set; }

    /// <summary>Chunks that carried text for some choice.</summary>
    public int ContentChunks { get; private set; }

    /// <summary>The verdict once the stream has ended (the response body was read to its end).</summary>
    public StreamVerdict Verdict =>
        Problem is not null ? StreamVerdict.Garbled
        : !_done ? StreamVerdict.Lost
        : _finished.Count == 0 ? StreamVerdict.Garbled
        : StreamVerdict.Complete;

    /// <summary>Why the verdict is not <see cref="StreamVerdict.Complete"/>.</summary>
    public string Explanation =>
        Problem ?? (!_done ? "ended without data: [DONE]" : _finished.Count == 0 ? "no choice had a finish_reason" : "complete");

    /// <summary>Takes the next line of the body (without its line break).</summary>
    public void Line(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (Problem is not null || line.Length == 0 || line[0] == ':')
        {
            return; // blank lines separate events; a colon starts an SSE comment
        }

        if (!line.StartsWith("data: ", StringComparison.Ordinal))
        {
            Fail($"not a data line: {Abbreviate(line)}");
            return;
        }

        if (_done)
        {
            Fail("data after [DONE]");
            return;
        }

        var payload = line["data: ".Length..];
        if (payload == "[DONE]")
        {
            _done = true;
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            Chunk(document.RootElement);
        }
        catch (JsonException)
        {
            Fail($"chunk is not JSON: {Abbreviate(payload)}");
        }
    }

    private void Chunk(JsonElement chunk)
    {
        if (chunk.ValueKind != JsonValueKind.Object)
        {
            Fail("chunk is not an object");
            return;
        }

        if (chunk.TryGetProperty("error", out var error))
        {
            Fail($"error event: {Abbreviate(error.ToString())}");
            return;
        }

        if (!chunk.TryGetProperty("object", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "chat.completion.chunk")
        {
            Fail("chunk without object: chat.completion.chunk");
            return;
        }

        var id = chunk.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id is null || (_id is not null && id != _id))
        {
            Fail($"chunk id {id ?? "(none)"} after {_id}");
            return;
        }

        _id = id;
        if (!chunk.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            Fail("chunk without a choices array");
            return;
        }

        if (choices.GetArrayLength() == 0 && _finished.Count == 0)
        {
            Fail("usage chunk before any finish_reason");
            return;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            Choice(choice);
        }
    }

    private void Choice(JsonElement choice)
    {
        var index = choice.TryGetProperty("index", out var indexElement) && indexElement.TryGetInt32(out var i) ? i : -1;
        if (index < 0)
        {
            Fail("choice without an index");
            return;
        }

        if (_finished.Contains(index))
        {
            Fail($"choice {index} continued after its finish_reason");
            return;
        }

        if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object
            && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
        {
            ContentChunks++;
        }

        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            _finished.Add(index);
        }
    }

    private void Fail(string problem) => Problem ??= problem;

    private static string Abbreviate(string text) => text.Length > 120 ? text[..120] + "…" : text;
}
