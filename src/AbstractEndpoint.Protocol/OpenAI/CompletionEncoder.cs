using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.AbstractCore;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Writes one <c>/v1/completions</c> answer in OpenAI's legacy shapes: a whole <c>text_completion</c>, or its stream
/// chunks (also <c>text_completion</c> objects). Log probabilities take the legacy form — parallel arrays
/// <c>tokens</c>, <c>token_logprobs</c>, <c>top_logprobs</c> (one object per token, text → log probability) and
/// <c>text_offset</c> (each token's character offset in the choice's text, echoed prompt included). One id and one
/// <c>created</c> per answer; the encoder keeps each streamed choice's running offset. AbstractCore's
/// <c>abstractcore</c> object rides where chat puts it: at the top level of the reply, of each choice's finish chunk and
/// of the usage chunk.
/// </summary>
public sealed class CompletionEncoder(string model, long created)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly Dictionary<int, int> _streamOffsets = [];

    public CompletionEncoder(string model)
        : this(model, DateTimeOffset.UtcNow.ToUnixTimeSeconds())
    {
    }

    public string Id { get; init; } = "cmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public long Created { get; } = created;

    /// <summary>The non-streaming body. A choice's text is its echoed prompt (<paramref name="echoes"/>, may be empty) and its completion.</summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="choices">The finished choices, in order.</param>
    /// <param name="usage">The request's token counts.</param>
    /// <param name="echoes">Per choice, the prompt text that comes back before it; null without <c>echo</c>.</param>
    /// <param name="telemetry">How the reply was produced (the <c>abstractcore</c> object), when the backend reported it.</param>
    public void WriteCompletion(
        IBufferWriter<byte> output, IReadOnlyList<CompletedChoice> choices, Usage usage, IReadOnlyList<string>? echoes = null, ReplyTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(choices);
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        WriteHeader(json);
        json.WriteStartArray("choices");
        for (var i = 0; i < choices.Count; i++)
        {
            var choice = choices[i];
            var echo = echoes?[i] ?? "";
            WriteChoice(json, choice.Index, echo + choice.Content, choice.Logprobs, echo.Length, FinishReasons.ToWire(choice.Reason));
        }

        json.WriteEndArray();
        ChatCompletionEncoder.WriteUsage(json, usage);
        ReplyTelemetryJson.Write(json, telemetry);
        json.WriteEndObject();
    }

    /// <summary>A piece of choice <paramref name="choice"/>'s text (or its echoed prompt), with its tokens' log probabilities when asked for.</summary>
    public void WriteTextChunk(IBufferWriter<byte> output, string text, int choice, IReadOnlyList<TokenLogprob>? logprobs = null, bool wantLogprobs = false) =>
        WriteChunk(output, text, choice, logprobs ?? (wantLogprobs ? [] : null), finishReason: null);

    /// <summary>The last chunk of a choice: no text, the finish reason (and log probabilities no earlier chunk carried).</summary>
    public void WriteFinishChunk(
        IBufferWriter<byte> output, FinishReason reason, int choice, IReadOnlyList<TokenLogprob>? logprobs = null, bool wantLogprobs = false,
        ReplyTelemetry? telemetry = null) =>
        WriteChunk(output, "", choice, logprobs ?? (wantLogprobs ? [] : null), FinishReasons.ToWire(reason), telemetry);

    /// <summary>The usage chunk (<c>stream_options.include_usage</c>): no choices, only usage (and the <c>abstractcore</c> object).</summary>
    public void WriteUsageChunk(IBufferWriter<byte> output, Usage usage, ReplyTelemetry? telemetry = null)
    {
        output.Write(DataPrefix);
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            WriteHeader(json);
            json.WriteStartArray("choices");
            json.WriteEndArray();
            ChatCompletionEncoder.WriteUsage(json, usage);
            ReplyTelemetryJson.Write(json, telemetry);
            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    private void WriteChunk(
        IBufferWriter<byte> output, string text, int choice, IReadOnlyList<TokenLogprob>? logprobs, string? finishReason, ReplyTelemetry? telemetry = null)
    {
        var offset = _streamOffsets.GetValueOrDefault(choice);
        output.Write(DataPrefix);
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            WriteHeader(json);
            json.WriteStartArray("choices");
            WriteChoice(json, choice, text, logprobs, offset, finishReason);
            json.WriteEndArray();
            ReplyTelemetryJson.Write(json, telemetry);
            json.WriteEndObject();
        }

        output.Write(EventEnd);
        _streamOffsets[choice] = offset + text.Length;
    }

    private static void WriteChoice(Utf8JsonWriter json, int index, string text, IReadOnlyList<TokenLogprob>? logprobs, int firstOffset, string? finishReason)
    {
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteString("text", text);
        WriteLegacyLogprobs(json, logprobs, firstOffset);
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
    }

    // The legacy object: four parallel arrays, one entry per token. A token's offset is where its text starts in the
    // choice's text; consecutive tokens advance it by their text's length (a character split across tokens counts
    // its replacement character once per piece, as the pieces' texts show it).
    private static void WriteLegacyLogprobs(Utf8JsonWriter json, IReadOnlyList<TokenLogprob>? entries, int firstOffset)
    {
        if (entries is null)
        {
            json.WriteNull("logprobs");
            return;
        }

        json.WriteStartObject("logprobs");
        json.WriteStartArray("tokens");
        foreach (var entry in entries)
        {
            json.WriteStringValue(entry.Token);
        }

        json.WriteEndArray();
        json.WriteStartArray("token_logprobs");
        foreach (var entry in entries)
        {
            json.WriteNumberValue(Finite(entry.Logprob));
        }

        json.WriteEndArray();
        json.WriteStartArray("top_logprobs");
        foreach (var entry in entries)
        {
            // An object keyed by token text: two alternatives with the same text keep the likelier one (listed first).
            json.WriteStartObject();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var top in entry.TopLogprobs)
            {
                if (seen.Add(top.Token))
                {
                    json.WriteNumber(top.Token, Finite(top.Logprob));
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("text_offset");
        var offset = firstOffset;
        foreach (var entry in entries)
        {
            json.WriteNumberValue(offset);
            offset += entry.Token.Length;
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    // JSON has no infinity; OpenAI's floor for "practically impossible" is -9999.
    private static float Finite(float logprob) => float.IsFinite(logprob) ? logprob : -9999f;

    private void WriteHeader(Utf8JsonWriter json)
    {
        json.WriteString("id", Id);
        json.WriteString("object", "text_completion");
        json.WriteNumber("created", Created);
        json.WriteString("model", model);
    }
}
