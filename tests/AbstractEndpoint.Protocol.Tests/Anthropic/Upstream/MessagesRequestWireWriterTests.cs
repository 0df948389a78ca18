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

    private static readonly JsonObject PersonSchema = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" } },
        ["required"] = new JsonArray("name"),
    };

    private static ChatRequest Asking(ResponseFormat format) => new() { Messages = [new ChatMessage(ChatRole.User, "Who?")], ResponseFormat = format };

    [Fact]
    public void A_json_schema_becomes_a_forced_answer_tool_whose_input_schema_is_the_schema()
    {
        var request = Asking(ResponseFormat.JsonSchema("person", PersonSchema, strict: true));
        var body = Write(request);

        var tool = Assert.Single(body.GetProperty("tools").EnumerateArray().ToList());
        Assert.Equal(MessagesRequestWireWriter.AnswerToolName, tool.GetProperty("name").GetString());
        Assert.Equal(PersonSchema.ToJsonString(), tool.GetProperty("input_schema").GetRawText());
        Assert.Equal("""{"type":"tool","name":"json_answer"}""", body.GetProperty("tool_choice").GetRawText());
        Assert.Equal(MessagesRequestWireWriter.AnswerToolName, MessagesRequestWireWriter.AnswerTool(request));
        Assert.False(body.TryGetProperty("response_format", out _));
    }

    [Fact]
    public void Json_object_asks_for_any_object_and_next_to_the_clients_tools_the_choice_is_any()
    {
        var body = Write(Asking(ResponseFormat.JsonObject));
        Assert.Equal("""{"type":"object"}""", body.GetProperty("tools")[0].GetProperty("input_schema").GetRawText());

        var tool = new ToolDefinition("lookup", null, new JsonObject { ["type"] = "object" }) { Raw = [] };
        var withTools = Write(Asking(ResponseFormat.JsonObject) with { Tools = [tool] });
        Assert.Equal(["lookup", "json_answer"], withTools.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("any", withTools.GetProperty("tool_choice").GetProperty("type").GetString());

        // A forced call of the client's own tool is the reply: no answer tool then.
        var forced = Asking(ResponseFormat.JsonObject) with { Tools = [tool], ToolChoice = ToolChoice.Function("lookup") };
        Assert.Null(MessagesRequestWireWriter.AnswerTool(forced));
        Assert.Single(Write(forced).GetProperty("tools").EnumerateArray().ToList());
    }

    [Fact]
    public void A_schema_whose_root_is_not_an_object_is_a_400_naming_response_format()
    {
        var error = Assert.Throws<AbstractEndpoint.Core.Errors.InvalidRequestException>(
            () => Write(Asking(ResponseFormat.JsonSchema("list", new JsonObject { ["type"] = "array" }, strict: false))));

        Assert.Equal("response_format", error.Param);
        var untyped = Write(Asking(ResponseFormat.JsonSchema("p", new JsonObject { ["properties"] = new JsonObject() }, strict: false)));
        Assert.Equal("""{"type":"object","properties":{}}""", untyped.GetProperty("tools")[0].GetProperty("input_schema").GetRawText());
    }

    [Theory]
    [InlineData(ReasoningEffort.Minimal, 1024)]
    [InlineData(ReasoningEffort.Low, 2048)]
    [InlineData(null, 8192)]
    [InlineData(ReasoningEffort.Medium, 8192)]
    [InlineData(ReasoningEffort.High, 16384)]
    [InlineData(ReasoningEffort.ExtraHigh, 32768)]
    public void Reasoning_on_is_thinking_enabled_with_the_efforts_budget_on_top_of_the_default_max_tokens(ReasoningEffort? effort, int budget)
    {
        var body = Write(new ChatRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Hi")],
            Reasoning = new ReasoningControl(true, effort),
            Sampling = new SamplingOptions { Temperature = 0.2f, TopK = 5 },
        });

        Assert.Equal($$"""{"type":"enabled","budget_tokens":{{budget}}}""", body.GetProperty("thinking").GetRawText());
        Assert.Equal(MessagesRequestWireWriter.DefaultMaxTokens + budget, body.GetProperty("max_tokens").GetInt32());
        Assert.False(body.TryGetProperty("temperature", out _)); // Anthropic refuses a changed temperature or top_k with thinking
        Assert.False(body.TryGetProperty("top_k", out _));
    }

    [Fact]
    public void The_clients_max_tokens_bounds_the_budget_and_reasoning_off_or_a_forced_tool_sends_no_thinking()
    {
        var on = new ReasoningControl(true, ReasoningEffort.High);
        Assert.Equal(2999, Write(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")], Reasoning = on, Limits = new GenerationLimits { MaxOutputTokens = 3000 } })
            .GetProperty("thinking").GetProperty("budget_tokens").GetInt32());
        Assert.False(Write(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")], Reasoning = on, Limits = new GenerationLimits { MaxOutputTokens = 1024 } })
            .TryGetProperty("thinking", out _));
        Assert.False(Write(Asking(ResponseFormat.JsonObject) with { Reasoning = on }).TryGetProperty("thinking", out _));
        Assert.Equal("""{"type":"disabled"}""", Write(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")], Reasoning = ReasoningControl.Off })
            .GetProperty("thinking").GetRawText());
        Assert.False(Write(new ChatRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")] }).TryGetProperty("thinking", out _));
    }
}
