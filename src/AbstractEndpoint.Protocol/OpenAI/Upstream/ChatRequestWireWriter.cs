using System.Buffers;
using System.Text.Json;
using AbstractEndpoint.Core.Chat;

namespace AbstractEndpoint.Protocol.OpenAI.Upstream;

/// <summary>
/// Writes a domain <see cref="ChatRequest"/> as the body of an OpenAI <c>POST /chat/completions</c> for an upstream
/// provider. The reply is always asked for as a stream with usage, so one reader serves streamed and plain clients.
/// Extensions OpenAI itself refuses (<c>top_k</c>, <c>min_p</c>, <c>repeat_penalty</c>, <c>grammar</c>…) are written
/// only when the client set them, so a request that uses none of them is accepted by every OpenAI-style server.
/// </summary>
public static class ChatRequestWireWriter
{
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
        json.WriteStartObject();
        json.WriteString("model", model);
        json.WriteStartArray("messages");
        foreach (var message in request.Messages)
        {
            WriteMessage(json, message);
        }

        json.WriteEndArray();

        if (request.Tools.Count > 0)
        {
            json.WriteStartArray("tools");
            foreach (var tool in request.Tools)
            {
                tool.Raw.WriteTo(json);
            }

            json.WriteEndArray();
            WriteToolChoice(json, request.ToolChoice);
            json.WriteBoolean("parallel_tool_calls", request.ParallelToolCalls);
        }
        else if (request.ToolChoice.Kind == ToolChoiceKind.None)
        {
            json.WriteString("tool_choice", "none");
        }

        WriteResponseFormat(json, request.ResponseFormat);
        UpstreamGenerationFields.WriteSampling(json, request.Sampling);
        if (request.Sampling.TopLogprobs is { } top)
        {
            json.WriteBoolean("logprobs", true);
            json.WriteNumber("top_logprobs", top);
        }

        UpstreamGenerationFields.WriteLimits(json, request.Limits);

        if (request.Choices != 1)
        {
            json.WriteNumber("n", request.Choices);
        }

        if (request.Reasoning is { } reasoning)
        {
            json.WriteString("reasoning_effort", reasoning.Enabled ? EffortName(reasoning.Effort) : "none");
        }

        if (request.Grammar is { } grammar)
        {
            json.WriteString("grammar", grammar);
        }

        if (!request.ReuseCachedPrompt)
        {
            json.WriteBoolean("cache_prompt", false);
        }

        if (request.TemplateVariables.Count > 0)
        {
            json.WriteStartObject("chat_template_kwargs");
            foreach (var (name, value) in request.TemplateVariables)
            {
                json.WritePropertyName(name);
                if (value is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    value.WriteTo(json);
                }
            }

            json.WriteEndObject();
        }

        if (request.PromptCacheKey is { } key)
        {
            json.WriteString("prompt_cache_key", key);
        }

        UpstreamGenerationFields.WriteStreamWithUsage(json);
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, ChatMessage message)
    {
        json.WriteStartObject();
        json.WriteString("role", RoleName(message.Role));
        if (message.Content is { } content)
        {
            json.WriteString("content", content);
        }
        else
        {
            json.WriteNull("content");
        }

        if (message.Name is { } name)
        {
            json.WriteString("name", name);
        }

        if (message.ToolCallId is { } callId)
        {
            json.WriteString("tool_call_id", callId);
        }

        ToolCallsJson.WriteIfAny(json, message.ToolCalls);

        json.WriteEndObject();
    }

    private static void WriteToolChoice(Utf8JsonWriter json, ToolChoice choice)
    {
        switch (choice.Kind)
        {
            case ToolChoiceKind.Function:
                json.WriteStartObject("tool_choice");
                json.WriteString("type", "function");
                json.WriteStartObject("function");
                json.WriteString("name", choice.FunctionName);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
            default:
                json.WriteString("tool_choice", choice.Kind switch
                {
                    ToolChoiceKind.None => "none",
                    ToolChoiceKind.Required => "required",
                    _ => "auto",
                });
                break;
        }
    }

    private static void WriteResponseFormat(Utf8JsonWriter json, ResponseFormat format)
    {
        switch (format.Kind)
        {
            case ResponseFormatKind.JsonObject:
                json.WriteStartObject("response_format");
                json.WriteString("type", "json_object");
                json.WriteEndObject();
                break;
            case ResponseFormatKind.JsonSchema:
                json.WriteStartObject("response_format");
                json.WriteString("type", "json_schema");
                json.WriteStartObject("json_schema");
                json.WriteString("name", format.Name);
                if (format.Schema is { } schema)
                {
                    json.WritePropertyName("schema");
                    schema.WriteTo(json);
                }

                json.WriteBoolean("strict", format.Strict);
                json.WriteEndObject();
                json.WriteEndObject();
                break;
        }
    }

    private static string RoleName(ChatRole role) => role.ToString().ToLowerInvariant();

    private static string EffortName(ReasoningEffort? effort) => effort switch
    {
        ReasoningEffort.Minimal => "minimal",
        ReasoningEffort.Low => "low",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => "medium",
    };
}
