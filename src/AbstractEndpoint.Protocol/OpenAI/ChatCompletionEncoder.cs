using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using AbstractEndpoint.Core.Generation;

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

    /// <summary>The non-streaming response body.</summary>
    public void WriteCompletion(IBufferWriter<byte> output, IReadOnlyList<CompletedChoice> choices, Usage usage)
    {
        using var json = OpenAIJson.CreateWriter(output);
        json.WriteStartObject();
        WriteHeader(json, "chat.completion");
        json.WriteStartArray("choices");
        foreach (var choice in choices)
        {
            json.WriteStartObject();
            json.WriteNumber("index", choice.Index);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", choice.Content);
            json.WriteEndObject();
            json.WriteNull("logprobs");
            json.WriteString("finish_reason", FinishReasons.ToWire(choice.Reason));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteUsage(json, usage);
        json.WriteEndObject();
    }

    /// <summary>The first stream event of a choice: the assistant role, no content yet.</summary>
    public void WriteRoleChunk(IBufferWriter<byte> output, int choice = 0) =>
        WriteChunk(output, choice, static json => json.WriteString("role", "assistant"), finishReason: null);

    public void WriteContentChunk(IBufferWriter<byte> output, string text, int choice = 0) =>
        WriteChunk(output, choice, json => json.WriteString("content", text), finishReason: null);

    /// <summary>The last event of a choice: an empty delta with the finish reason.</summary>
    public void WriteFinishChunk(IBufferWriter<byte> output, FinishReason reason, int choice = 0) =>
        WriteChunk(output, choice, static _ => { }, FinishReasons.ToWire(reason));

    /// <summary>The usage event (<c>stream_options.include_usage</c>): no choices, only usage.</summary>
    public void WriteUsageChunk(IBufferWriter<byte> output, Usage usage)
    {
        output.Write(DataPrefix);
        using (var json = OpenAIJson.CreateWriter(output))
        {
            json.WriteStartObject();
            WriteHeader(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            WriteUsage(json, usage);
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

    private void WriteChunk(IBufferWriter<byte> output, int choice, Action<Utf8JsonWriter> writeDelta, string? finishReason)
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
            json.WriteNull("logprobs");
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
            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    private void WriteHeader(Utf8JsonWriter json, string objectType)
    {
        json.WriteString("id", Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", Created);
        json.WriteString("model", model);
    }

    private static void WriteUsage(Utf8JsonWriter json, Usage usage)
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
