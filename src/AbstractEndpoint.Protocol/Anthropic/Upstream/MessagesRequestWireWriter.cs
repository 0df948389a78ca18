using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.Anthropic.Upstream;

/// <summary>
/// Writes a domain <see cref="ChatRequest"/> as the body of Anthropic's <c>POST /messages</c> for an upstream
/// provider, always streamed. System messages become <c>system</c>; tool results become <c>tool_result</c> blocks of
/// a user turn and an assistant's tool calls <c>tool_use</c> blocks (consecutive turns of one role are merged, as the
/// API wants them alternating); tools carry their parameters as <c>input_schema</c>. <c>max_tokens</c> is required
/// upstream: without one in the request, <see cref="DefaultMaxTokens"/>. Temperature is capped at 1 (Anthropic's
/// range). With a <c>prompt_cache_key</c>, the system prompt and the last tool are marked
/// <c>cache_control: ephemeral</c>, Anthropic's way of caching that prefix.
/// </summary>
public static class MessagesRequestWireWriter
{
    /// <summary>The <c>max_tokens</c> sent when the request has none (Anthropic requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    public static byte[] Write(ChatRequest request, string model)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, request, model);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, ChatRequest request, string model)
    {
        var cache = request.PromptCacheKey is not null;
        json.WriteStartObject();
        json.WriteString("model", model);
        json.WriteNumber("max_tokens", request.Limits.MaxOutputTokens ?? DefaultMaxTokens);

        var system = string.Join("\n\n", request.Messages.Where(m => m.Role == ChatRole.System && !string.IsNullOrEmpty(m.Content)).Select(m => m.Content));
        if (system.Length > 0)
        {
            if (cache)
            {
                json.WriteStartArray("system");
                json.WriteStartObject();
                json.WriteString("type", "text");
                json.WriteString("text", system);
                WriteCacheControl(json);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("system", system);
            }
        }

        WriteMessages(json, request.Messages);

        if (request.Tools.Count > 0 && request.ToolChoice.Kind != ToolChoiceKind.None)
        {
            json.WriteStartArray("tools");
            for (var i = 0; i < request.Tools.Count; i++)
            {
                var tool = request.Tools[i];
                json.WriteStartObject();
                json.WriteString("name", tool.Name);
                if (tool.Description is { } description)
                {
                    json.WriteString("description", description);
                }

                json.WritePropertyName("input_schema");
                (tool.Parameters ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() }).WriteTo(json);
                if (cache && i == request.Tools.Count - 1)
                {
                    WriteCacheControl(json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteToolChoice(json, request.ToolChoice, request.ParallelToolCalls);
        }

        json.WriteNumber("temperature", Math.Min(request.Sampling.Temperature, 1f));
        if (request.Sampling.TopP != 1f)
        {
            json.WriteNumber("top_p", request.Sampling.TopP);
        }

        if (request.Sampling.TopK > 0)
        {
            json.WriteNumber("top_k", request.Sampling.TopK);
        }

        if (request.Limits.StopSequences.Count > 0)
        {
            json.WriteStartArray("stop_sequences");
            foreach (var stop in request.Limits.StopSequences)
            {
                json.WriteStringValue(stop);
            }

            json.WriteEndArray();
        }

        json.WriteBoolean("stream", true);
        json.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter json, IReadOnlyList<ChatMessage> messages)
    {
        json.WriteStartArray("messages");
        string? openRole = null;
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            if (role != openRole)
            {
                if (openRole is not null)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteStartObject();
                json.WriteString("role", role);
                json.WriteStartArray("content");
                openRole = role;
            }

            WriteBlocks(json, message);
        }

        if (openRole is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteBlocks(Utf8JsonWriter json, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_result");
            json.WriteString("tool_use_id", message.ToolCallId ?? "");
            json.WriteString("content", message.Content ?? "");
            json.WriteEndObject();
            return;
        }

        if (!string.IsNullOrEmpty(message.Content))
        {
            json.WriteStartObject();
            json.WriteString("type", "text");
            json.WriteString("text", message.Content);
            json.WriteEndObject();
        }

        foreach (var call in message.ToolCalls)
        {
            json.WriteStartObject();
            json.WriteString("type", "tool_use");
            json.WriteString("id", call.Id);
            json.WriteString("name", call.Name);
            json.WritePropertyName("input");
            WriteInput(json, call.ArgumentsJson);
            json.WriteEndObject();
        }
    }

    /// <summary>A call's arguments as the object <c>input</c> must be; text that is not an object is kept under <c>"arguments"</c>.</summary>
    private static void WriteInput(Utf8JsonWriter json, string argumentsJson)
    {
        try
        {
            if (JsonNode.Parse(argumentsJson) is JsonObject input)
            {
                input.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
            // Not JSON: kept as text below, so nothing the model said is lost.
        }

        json.WriteStartObject();
        if (!string.IsNullOrWhiteSpace(argumentsJson))
        {
            json.WriteString("arguments", argumentsJson);
        }

        json.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter json, ToolChoice choice, bool parallel)
    {
        json.WriteStartObject("tool_choice");
        json.WriteString("type", choice.Kind switch
        {
            ToolChoiceKind.Required => "any",
            ToolChoiceKind.Function => "tool",
            _ => "auto",
        });
        if (choice.Kind == ToolChoiceKind.Function)
        {
            json.WriteString("name", choice.FunctionName);
        }

        if (!parallel)
        {
            json.WriteBoolean("disable_parallel_tool_use", true);
        }

        json.WriteEndObject();
    }

    private static void WriteCacheControl(Utf8JsonWriter json)
    {
        json.WriteStartObject("cache_control");
        json.WriteString("type", "ephemeral");
        json.WriteEndObject();
    }
}
