using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI.Upstream;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Upstream;

public sealed class ChatRequestWireWriterTests
{
    private static JsonElement Write(ChatRequest request) =>
        JsonDocument.Parse(ChatRequestWireWriter.Write(request, "upstream-model")).RootElement;

    [Fact]
    public void A_plain_request_is_a_streamed_request_with_usage_and_only_standard_fields()
    {
        var body = Write(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")] });

        Assert.Equal("upstream-model", body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(
            ["model", "messages", "temperature", "stream", "stream_options"],
            body.EnumerateObject().Select(p => p.Name));
        var message = body.GetProperty("messages")[0];
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Equal("Hi", message.GetProperty("content").GetString());
    }

    [Fact]
    public void Tools_forced_choice_format_limits_and_cache_key_are_written_as_OpenAI_spells_them()
    {
        var tool = new JsonObject { ["type"] = "function", ["function"] = new JsonObject { ["name"] = "f", ["parameters"] = new JsonObject { ["type"] = "object" } } };
        var body = Write(new ChatRequest
        {
            Messages =
            [
                new ChatMessage(ChatRole.Assistant, null) { ToolCalls = [new ToolCall("call_1", "f", "{\"a\":1}")] },
                new ChatMessage(ChatRole.Tool, "42") { ToolCallId = "call_1" },
            ],
            Tools = [new ToolDefinition("f", null, null) { Raw = tool }],
            ToolChoice = ToolChoice.Function("f"),
            ParallelToolCalls = false,
            ResponseFormat = ResponseFormat.JsonSchema("person", JsonNode.Parse("{\"type\":\"object\"}"), strict: true),
            Sampling = new SamplingOptions { Temperature = 0, Seed = 5, TopK = 3, LogitBias = new Dictionary<int, float> { [2] = float.NegativeInfinity } },
            Limits = new GenerationLimits { MaxOutputTokens = 12, StopSequences = ["\n\n"] },
            Reasoning = ReasoningControl.Off,
            PromptCacheKey = "session-1",
        });

        Assert.Equal("f", body.GetProperty("tool_choice").GetProperty("function").GetProperty("name").GetString());
        Assert.False(body.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("f", body.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("json_schema", body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.True(body.GetProperty("response_format").GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        Assert.Equal(5u, body.GetProperty("seed").GetUInt32());
        Assert.Equal(3, body.GetProperty("top_k").GetInt32());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("2").GetDouble());
        Assert.Equal(12, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("\n\n", body.GetProperty("stop")[0].GetString());
        Assert.Equal("none", body.GetProperty("reasoning_effort").GetString());
        Assert.Equal("session-1", body.GetProperty("prompt_cache_key").GetString());
        var call = body.GetProperty("messages")[0].GetProperty("tool_calls")[0];
        Assert.Equal(JsonValueKind.Null, body.GetProperty("messages")[0].GetProperty("content").ValueKind);
        Assert.Equal("{\"a\":1}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_1", body.GetProperty("messages")[1].GetProperty("tool_call_id").GetString());
    }
}
