using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.Anthropic.Upstream;

namespace AbstractEndpoint.Protocol.Tests.Anthropic.Upstream;

public sealed class MessagesRequestWireWriterTests
{
    private static JsonElement Write(ChatRequest request) =>
        JsonDocument.Parse(MessagesRequestWireWriter.Write(request, "claude-x")).RootElement;

    [Fact]
    public void System_messages_become_system_and_max_tokens_has_the_documented_default()
    {
        var body = Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")],
            Sampling = new SamplingOptions { Temperature = 1.5f, TopP = 0.9f },
            Limits = new GenerationLimits { StopSequences = ["END"] },
        });

        Assert.Equal("claude-x", body.GetProperty("model").GetString());
        Assert.Equal(MessagesRequestWireWriter.DefaultMaxTokens, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal("Be brief.", body.GetProperty("system").GetString());
        var only = Assert.Single(body.GetProperty("messages").EnumerateArray().ToList());
        Assert.Equal("user", only.GetProperty("role").GetString());
        Assert.Equal("Hi", only.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal(1f, body.GetProperty("temperature").GetSingle());
        Assert.Equal(0.9f, body.GetProperty("top_p").GetSingle());
        Assert.Equal("END", body.GetProperty("stop_sequences")[0].GetString());
        Assert.True(body.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Tool_calls_and_results_become_tool_use_and_tool_result_blocks_and_tools_carry_input_schema()
    {
        var parameters = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["city"] = new JsonObject { ["type"] = "string" } } };
        var body = Write(new ChatRequest
        {
            Messages =
            [
                new ChatMessage(ChatRole.User, "Weather?"),
                new ChatMessage(ChatRole.Assistant, null) { ToolCalls = [new ToolCall("call_1", "get_weather", """{"city":"Paris"}""")] },
                new ChatMessage(ChatRole.Tool, "sunny") { ToolCallId = "call_1" },
            ],
            Tools = [new ToolDefinition("get_weather", "Looks up weather", parameters) { Raw = new JsonObject() }],
            ToolChoice = ToolChoice.Function("get_weather"),
            ParallelToolCalls = false,
            Limits = new GenerationLimits { MaxOutputTokens = 50 },
        });

        var messages = body.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        var use = messages[1].GetProperty("content")[0];
        Assert.Equal("tool_use", use.GetProperty("type").GetString());
        Assert.Equal("call_1", use.GetProperty("id").GetString());
        Assert.Equal("Paris", use.GetProperty("input").GetProperty("city").GetString());
        var result = messages[2].GetProperty("content")[0];
        Assert.Equal("user", messages[2].GetProperty("role").GetString());
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal("call_1", result.GetProperty("tool_use_id").GetString());
        var tool = body.GetProperty("tools")[0];
        Assert.Equal("object", tool.GetProperty("input_schema").GetProperty("type").GetString());
        Assert.Equal("tool", body.GetProperty("tool_choice").GetProperty("type").GetString());
        Assert.Equal("get_weather", body.GetProperty("tool_choice").GetProperty("name").GetString());
        Assert.True(body.GetProperty("tool_choice").GetProperty("disable_parallel_tool_use").GetBoolean());
        Assert.Equal(50, body.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public void A_prompt_cache_key_marks_the_system_prompt_for_caching()
    {
        var body = Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.System, "Long rules."), new ChatMessage(ChatRole.User, "Hi")],
            PromptCacheKey = "k",
        });

        var system = body.GetProperty("system")[0];
        Assert.Equal("Long rules.", system.GetProperty("text").GetString());
        Assert.Equal("ephemeral", system.GetProperty("cache_control").GetProperty("type").GetString());
    }
}
