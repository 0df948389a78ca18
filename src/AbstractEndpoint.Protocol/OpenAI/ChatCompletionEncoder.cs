using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.AbstractCore;

namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// Writes one request's answer in OpenAI's shapes: a whole <c>chat.completion</c>, or the
/// <c>chat.completion.chunk</c> events of a stream. One id and one <c>created</c> for the whole answer.
/// </summary>
public sealed class ChatCompletionEncoder(string model, long created)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public ChatCompletionEncoder(string model)
        : this(model, DateTimeOffset.UtcNow.ToUnixTimeSeconds())
    {
    }

    public string Id { get; init; } = NewId();

    public long Created { get; } = created;

    /// <summary>The bytes that end an OpenAI stream.</summary>
    public static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    public static string NewId() => "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The non-streaming response body for a single choice.</summary>
    public void WriteCompletion(IBufferWriter<byte> output, string content, FinishReason reason, Usage usage) =>
        WriteCompletion(output, [new CompletedChoice(0, content, reason)], usage);

    /// <summary>The non-streaming response body, with AbstractCore's <c>abstractcore</c> object when there is telemetry.</summary>
    public void WriteCompletion(IBufferWriter<byte> output, IReadOnlyList<CompletedChoice> choices, Usage usage, ReplyTelemetry? telemetry = null)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        WriteHeader(json, "chat.completion");
        json.WriteStartArray("choices");
        foreach (var choice in choices)
        {
            json.WriteStartObject();
            json.WriteNumber("index", choice.Index);
            WriteMessage(json, choice);
            WriteLogprobs(json, choice.Logprobs);
            json.WriteString("finish_reason", FinishReasons.ToWire(choice.Reason));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteUsage(json, usage);
        ReplyTelemetryJson.Write(json, telemetry);
        json.WriteEndObject();
    }

    /// <summary>The first stream event of a choice: the assistant role, no content yet.</summary>
    public void WriteRoleChunk(IBufferWriter<byte> output, int choice = 0) =>
        WriteChunk(output, choice, static json => json.WriteString("role", "assistant"), finishReason: null);

    /// <summary>A piece of content, with the log probabilities of its tokens when they were asked for.</summary>
    public void WriteContentChunk(IBufferWriter<byte> output, string text, int choice = 0, IReadOnlyList<TokenLogprob>? logprobs = null) =>
        WriteChunk(output, choice, json => json.WriteString("content", text), finishReason: null, logprobs);

    /// <summary>A piece of reasoning, as llama-server streams it (<c>delta.reasoning_content</c>).</summary>
    public void WriteReasoningChunk(IBufferWriter<byte> output, string text, int choice = 0, IReadOnlyList<TokenLogprob>? logprobs = null) =>
        WriteChunk(output, choice, json => json.WriteString("reasoning_content", text), finishReason: null, logprobs);

    /// <summary>
    /// A piece of tool call <paramref name="index"/>, as OpenAI streams it: the first piece of a call carries its id,
    /// type, name and empty arguments; the later ones only the index and an argument fragment.
    /// </summary>
    public void WriteToolCallChunk(
        IBufferWriter<byte> output, int index, string? id, string? name, string argumentsFragment, int choice = 0,
        IReadOnlyList<TokenLogprob>? logprobs = null) =>
        WriteChunk(output, choice, json =>
        {
            json.WriteStartArray("tool_calls");
            json.WriteStartObject();
            json.WriteNumber("index", index);
            if (id is not null)
            {
                json.WriteString("id", id);
                json.WriteString("type", "function");
            }

            json.WriteStartObject("function");
            if (name is not null)
            {
                json.WriteString("name", name);
            }

            json.WriteString("arguments", argumentsFragment);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }, finishReason: null, logprobs);

    /// <summary>The last event of a choice: an empty delta with the finish reason.</summary>
    /// <remarks>
    /// Log probabilities of tokens no earlier chunk carried (text still held back at the end) ride on it, and so does
    /// the <c>abstractcore</c> object at the chunk's top level, as upstream's terminal chunk carries it.
    /// </remarks>
    public void WriteFinishChunk(
        IBufferWriter<byte> output, FinishReason reason, int choice = 0, IReadOnlyList<TokenLogprob>? logprobs = null,
        ReplyTelemetry? telemetry = null) =>
        WriteChunk(output, choice, static _ => { }, FinishReasons.ToWire(reason), logprobs, telemetry);

    /// <summary>
    /// The usage event (<c>stream_options.include_usage</c>): no choices, only usage, and the <c>abstractcore</c>
    /// object when there is telemetry (this is then the stream's final chunk).
    /// </summary>
    public void WriteUsageChunk(IBufferWriter<byte> output, Usage usage, ReplyTelemetry? telemetry = null)
    {
        output.Write(DataPrefix);
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            WriteHeader(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, usage);
            ReplyTelemetryJson.Write(json, telemetry);
            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    /// <summary>An error that happened after the stream started, as an event the SDKs surface as an exception.</summary>
    public static void WriteErrorEvent(IBufferWriter<byte> output, OpenAIError error)
    {
        output.Write(DataPrefix);
        error.WriteTo(output);
        output.Write(EventEnd);
    }

    private void WriteChunk(
        IBufferWriter<byte> output, int choice, Action<Utf8JsonWriter> writeDelta, string? finishReason, IReadOnlyList<TokenLogprob>? logprobs = null,
        ReplyTelemetry? telemetry = null)
    {
        output.Write(DataPrefix);
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            WriteHeader(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", choice);
            json.WriteStartObject("delta");
            writeDelta(json);
            json.WriteEndObject();
            WriteLogprobs(json, logprobs);
            if (finishReason is null)
            {
                json.WriteNull("finish_reason");
            }
            else
            {
                json.WriteString("finish_reason", finishReason);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            ReplyTelemetryJson.Write(json, telemetry);
            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    // OpenAI's message: content is null when the reply is only tool calls; reasoning_content (llama-server's field)
    // only when there is some.
    private static void WriteMessage(Utf8JsonWriter json, CompletedChoice choice)
    {
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        if (choice.Content.Length == 0 && choice.ToolCalls.Count > 0)
        {
            json.WriteNull("content");
        }
        else
        {
            json.WriteString("content", choice.Content);
        }

        if (choice.Reasoning.Length > 0)
        {
            json.WriteString("reasoning_content", choice.Reasoning);
        }

        ToolCallsJson.WriteIfAny(json, choice.ToolCalls);

        json.WriteEndObject();
    }

    // OpenAI's choice logprobs: null when not asked for, else {"content": [...], "refusal": null}.
    private static void WriteLogprobs(Utf8JsonWriter json, IReadOnlyList<TokenLogprob>? entries)
    {
        if (entries is null)
        {
            json.WriteNull("logprobs");
            return;
        }

        json.WriteStartObject("logprobs");
        json.WriteStartArray("content");
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            WriteTokenFields(json, entry.Token, entry.Logprob, entry.Bytes);
            json.WriteStartArray("top_logprobs");
            foreach (var top in entry.TopLogprobs)
            {
                json.WriteStartObject();
                WriteTokenFields(json, top.Token, top.Logprob, top.Bytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("refusal");
        json.WriteEndObject();
    }

    private static void WriteTokenFields(Utf8JsonWriter json, string token, float logprob, byte[] bytes)
    {
        json.WriteString("token", token);
        // JSON has no infinity; OpenAI's floor for "practically impossible" is -9999.
        json.WriteNumber("logprob", float.IsFinite(logprob) ? logprob : -9999f);
        json.WriteStartArray("bytes");
        foreach (var b in bytes)
        {
            json.WriteNumberValue(b);
        }

        json.WriteEndArray();
    }

    private void WriteHeader(Utf8JsonWriter json, string objectType)
    {
        json.WriteString("id", Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", Created);
        json.WriteString("model", model);
    }

    /// <summary>OpenAI's <c>usage</c> object, shared by every OpenAI encoder.</summary>
    internal static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", usage.PromptTokens);
        json.WriteNumber("completion_tokens", usage.CompletionTokens);
        json.WriteNumber("total_tokens", usage.TotalTokens);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", usage.CachedTokens);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
