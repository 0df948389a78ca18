using System.Text.Json;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.AbstractCore;

namespace AbstractEndpoint.Protocol.OpenAI.Responses;

/// <summary>Writes the <c>response</c> object: the header's fields, the output items, the status and the usage.</summary>
public static class ResponseObjectWriter
{
    /// <param name="json">Where to write.</param>
    /// <param name="header">The id, model, time and echoed parameters.</param>
    /// <param name="status"><c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</param>
    /// <param name="items">The output so far.</param>
    /// <param name="usage">Null until the reply finished.</param>
    /// <param name="incompleteReason"><c>max_output_tokens</c> when the reply was cut by a limit.</param>
    /// <param name="error">The failure of a <c>failed</c> response.</param>
    /// <param name="telemetry">AbstractCore's <c>abstractcore</c> object, written after <c>usage</c> once the reply finished.</param>
    public static void Write(
        Utf8JsonWriter json,
        ResponseHeader header,
        string status,
        IReadOnlyList<ResponseOutputItem> items,
        Usage? usage,
        string? incompleteReason = null,
        OpenAIError? error = null,
        ReplyTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(items);
        var settings = header.Settings;
        json.WriteStartObject();
        json.WriteString("id", header.Id);
        json.WriteString("object", "response");
        json.WriteNumber("created_at", header.CreatedAt);
        json.WriteString("status", status);
        json.WriteBoolean("background", false);
        if (error is null)
        {
            json.WriteNull("error");
        }
        else
        {
            json.WriteStartObject("error");
            json.WriteString("code", error.Code ?? "server_error");
            json.WriteString("message", error.Message);
            json.WriteEndObject();
        }

        if (incompleteReason is null)
        {
            json.WriteNull("incomplete_details");
        }
        else
        {
            json.WriteStartObject("incomplete_details");
            json.WriteString("reason", incompleteReason);
            json.WriteEndObject();
        }

        WriteNullable(json, "instructions", settings.Instructions);
        WriteNullable(json, "max_output_tokens", settings.MaxOutputTokens);
        json.WriteNull("max_tool_calls");
        json.WriteString("model", header.Model);
        json.WriteStartArray("output");
        foreach (var item in items)
        {
            WriteItem(json, item);
        }

        json.WriteEndArray();
        json.WriteBoolean("parallel_tool_calls", settings.ParallelToolCalls);
        WriteNullable(json, "previous_response_id", settings.PreviousResponseId);
        WriteNullable(json, "prompt_cache_key", settings.PromptCacheKey);
        json.WriteStartObject("reasoning");
        WriteNullable(json, "effort", settings.ReasoningEffort);
        json.WriteNull("summary");
        json.WriteEndObject();
        json.WriteNull("safety_identifier");
        json.WriteString("service_tier", "default");
        json.WriteBoolean("store", settings.Store);
        json.WriteNumber("temperature", settings.Temperature);
        json.WritePropertyName("text");
        settings.Text.WriteTo(json);
        json.WritePropertyName("tool_choice");
        settings.ToolChoice.WriteTo(json);
        json.WritePropertyName("tools");
        settings.Tools.WriteTo(json);
        json.WriteNumber("top_logprobs", 0);
        json.WriteNumber("top_p", settings.TopP);
        json.WriteString("truncation", "disabled");
        if (usage is null)
        {
            json.WriteNull("usage");
        }
        else
        {
            WriteUsage(json, usage);
        }

        ReplyTelemetryJson.Write(json, telemetry);

        json.WriteNull("user");
        json.WriteStartObject("metadata");
        foreach (var (key, value) in settings.Metadata)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// An output item, whole: <c>message</c> with its <c>output_text</c>, <c>function_call</c> with its
    /// <c>call_id</c> and arguments, <c>reasoning</c> with the reasoning as its summary text.
    /// </summary>
    public static void WriteItem(Utf8JsonWriter json, ResponseOutputItem item)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(item);
        json.WriteStartObject();
        json.WriteString("id", item.Id);
        switch (item.Kind)
        {
            case ResponseOutputItemKind.Message:
                json.WriteString("type", "message");
                json.WriteString("status", item.Status);
                json.WriteString("role", "assistant");
                json.WriteStartArray("content");
                if (item.Status != "in_progress")
                {
                    WriteTextPart(json, item.Text.ToString());
                }

                json.WriteEndArray();
                break;
            case ResponseOutputItemKind.FunctionCall:
                json.WriteString("type", "function_call");
                json.WriteString("status", item.Status);
                json.WriteString("arguments", item.Status == "in_progress" ? "" : item.Text.ToString());
                json.WriteString("call_id", item.CallId);
                json.WriteString("name", item.Name);
                break;
            case ResponseOutputItemKind.Reasoning:
                json.WriteString("type", "reasoning");
                json.WriteStartArray("summary");
                if (item.Status != "in_progress")
                {
                    WriteSummaryPart(json, item.Text.ToString());
                }

                json.WriteEndArray();
                break;
        }

        json.WriteEndObject();
    }

    /// <summary>An <c>output_text</c> content part.</summary>
    public static void WriteTextPart(Utf8JsonWriter json, string text)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("type", "output_text");
        json.WriteString("text", text);
        json.WriteStartArray("annotations");
        json.WriteEndArray();
        json.WriteStartArray("logprobs");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A <c>summary_text</c> part of a reasoning item.</summary>
    public static void WriteSummaryPart(Utf8JsonWriter json, string text)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("type", "summary_text");
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>
    /// The usage: <c>input_tokens</c> is the whole prompt, of which <c>input_tokens_details.cached_tokens</c> were
    /// read from KV cells already computed. Reasoning tokens are not counted apart from the output.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", usage.PromptTokens);
        json.WriteStartObject("input_tokens_details");
        json.WriteNumber("cached_tokens", usage.CachedTokens);
        json.WriteEndObject();
        json.WriteNumber("output_tokens", usage.CompletionTokens);
        json.WriteStartObject("output_tokens_details");
        json.WriteNumber("reasoning_tokens", 0);
        json.WriteEndObject();
        json.WriteNumber("total_tokens", usage.TotalTokens);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
