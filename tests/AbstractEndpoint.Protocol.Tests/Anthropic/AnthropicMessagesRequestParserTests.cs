using System.Text;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.Anthropic;

namespace AbstractEndpoint.Protocol.Tests.Anthropic;

public sealed class AnthropicMessagesRequestParserTests
{
    private static ParsedAnthropicMessages Parse(string json, bool strict = false, bool countTokens = false) =>
        AnthropicMessagesRequestParser.Parse(Encoding.UTF8.GetBytes(json), strict, countTokens);

    [Fact]
    public void Maps_system_blocks_tool_history_and_sampling()
    {
        var parsed = Parse("""
            {"model":"m","max_tokens":50,"stream":true,"temperature":0.5,"top_p":0.9,"top_k":20,"stop_sequences":["END"],
             "metadata":{"user_id":"u"},
             "system":[{"type":"text","text":"Be "},{"type":"text","text":"brief."}],
             "messages":[
               {"role":"user","content":"Weather?"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"need tool","signature":"s"},
                                              {"type":"text","text":"Checking."},
                                              {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}]},
                                         {"type":"tool_result","tool_use_id":"toolu_2","content":"boom","is_error":true},
                                         {"type":"text","text":"Thanks"}]}],
             "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}}
            """);

        var request = parsed.Request;
        Assert.True(parsed.Stream);
        Assert.Equal("m", parsed.Model);
        Assert.Equal(50, request.Limits.MaxOutputTokens);
        Assert.Equal(["END"], request.Limits.StopSequences);
        Assert.Equal(0.5f, request.Sampling.Temperature);
        Assert.Equal(0.9f, request.Sampling.TopP);
        Assert.Equal(20, request.Sampling.TopK);
        Assert.Equal(
            [ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool, ChatRole.User],
            request.Messages.Select(m => m.Role));
        Assert.Equal("Be brief.", request.Messages[0].Content);
        var assistant = request.Messages[2];
        Assert.Equal("Checking.", assistant.Content);
        Assert.Equal("need tool", assistant.ReasoningContent);
        Assert.Equal(new ToolCall("toolu_1", "get_weather", """{"city":"Paris"}"""), Assert.Single(assistant.ToolCalls));
        Assert.Equal(("toolu_1", "sunny"), (request.Messages[3].ToolCallId, request.Messages[3].Content));
        Assert.Equal(("toolu_2", "Error: boom"), (request.Messages[4].ToolCallId, request.Messages[4].Content));
        Assert.Equal("Thanks", request.Messages[5].Content);
        var tool = Assert.Single(request.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("object", tool.Parameters!["type"]!.GetValue<string>());
        Assert.Equal("function", tool.Raw["type"]!.GetValue<string>());
        Assert.Equal("get_weather", tool.Raw["function"]!["name"]!.GetValue<string>());
        Assert.Equal(ToolChoice.Function("get_weather"), request.ToolChoice);
        Assert.False(request.ParallelToolCalls);
    }

    [Theory]
    [InlineData("auto", ToolChoiceKind.Auto)]
    [InlineData("any", ToolChoiceKind.Required)]
    [InlineData("none", ToolChoiceKind.None)]
    public void Tool_choice_types(string type, ToolChoiceKind kind)
    {
        var parsed = Parse($$$"""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
             "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"{{{type}}}"}}
            """);

        Assert.Equal(kind, parsed.Request.ToolChoice.Kind);
        Assert.Equal(kind == ToolChoiceKind.None ? 0 : 1, parsed.Request.Tools.Count);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", true, 2048)]
    [InlineData("""{"type":"disabled"}""", false, null)]
    [InlineData("""{"type":"adaptive"}""", true, null)]
    public void Thinking_maps_to_the_reasoning_control_and_its_budget_to_the_reasoning_cap(string thinking, bool enabled, int? cap)
    {
        var parsed = Parse($$"""{"model":"m","max_tokens":4096,"messages":[{"role":"user","content":"hi"}],"thinking":{{thinking}}}""");

        Assert.Equal(enabled, parsed.Request.Reasoning!.Enabled);
        Assert.Equal(cap, parsed.Request.Limits.MaxReasoningTokens);
        Assert.Equal(4096, parsed.Request.Limits.MaxOutputTokens);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":10}}""", "thinking.budget_tokens")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"tool_choice":{"type":"tool","name":"nope"}}""", "tool_choice")]
    [InlineData("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"temperature":1.5}""", "temperature")]
    public void Bad_requests_name_the_field(string json, string param)
    {
        var error = Assert.ThrowsAny<InvalidRequestException>(() => Parse(json));

        Assert.StartsWith(param, error.Param, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_tokens_needs_no_max_tokens()
    {
        var parsed = Parse("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", countTokens: true);

        Assert.Null(parsed.Request.Limits.MaxOutputTokens);
    }

    [Fact]
    public void Unknown_fields_and_server_tools_are_ignored_leniently_and_refused_strictly()
    {
        const string json = """
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"container":"c",
             "tools":[{"type":"web_search_20250305","name":"web_search"}]}
            """;

        var parsed = Parse(json);
        Assert.Empty(parsed.Request.Tools);
        Assert.Equal(["container", "tools[0]"], parsed.Ignored.Select(i => i.Name));
        Assert.Equal("container", Assert.ThrowsAny<InvalidRequestException>(() => Parse(json, strict: true)).Param);
    }

    [Fact]
    public void Prompt_cache_key_names_the_cache_as_on_chat()
    {
        Assert.Equal("agent-1", Parse("""{"model":"m","max_tokens":5,"prompt_cache_key":" agent-1 ","messages":[{"role":"user","content":"x"}]}""").Request.PromptCacheKey);
        Assert.Null(Parse("""{"model":"m","max_tokens":5,"prompt_cache_key":"","messages":[{"role":"user","content":"x"}]}""").Request.PromptCacheKey);
        Assert.Empty(Parse("""{"model":"m","max_tokens":5,"prompt_cache_key":"k","messages":[{"role":"user","content":"x"}]}""", strict: true).Ignored);
    }
}
