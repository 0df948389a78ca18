using System.Text;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI.Responses;

namespace AbstractEndpoint.Protocol.Tests.OpenAI.Responses;

public sealed class ResponsesRequestParserTests
{
    private static ParsedResponsesRequest Parse(string json, bool strict = false, bool countTokens = false) =>
        ResponsesRequestParser.Parse(Encoding.UTF8.GetBytes(json), strict, countTokens);

    [Fact]
    public void A_string_input_is_one_user_turn_after_the_instructions()
    {
        var parsed = Parse("""
            {"model":"m","input":"Hi","instructions":"Be brief.","max_output_tokens":40,"temperature":0.5,"top_p":0.9,
             "stream":true,"store":false,"metadata":{"k":"v"},"previous_response_id":"resp_1","prompt_cache_key":"c1"}
            """);

        Assert.Equal("m", parsed.Model);
        Assert.True(parsed.Stream);
        Assert.Equal(
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")],
            parsed.Request.Messages);
        Assert.Equal([new ChatMessage(ChatRole.User, "Hi")], parsed.InputMessages);
        Assert.Equal(40, parsed.Request.Limits.MaxOutputTokens);
        Assert.Equal(0.5f, parsed.Request.Sampling.Temperature);
        Assert.Equal(0.9f, parsed.Request.Sampling.TopP);
        Assert.Equal("c1", parsed.Request.PromptCacheKey);
        Assert.False(parsed.Settings.Store);
        Assert.Equal("resp_1", parsed.Settings.PreviousResponseId);
        Assert.Equal("v", parsed.Settings.Metadata["k"]);
        var item = Assert.Single(parsed.InputItems);
        Assert.StartsWith("msg_", item["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("input_text", item["content"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Items_become_turns_reasoning_text_and_calls_one_assistant_turn_outputs_tool_messages()
    {
        var parsed = Parse("""
            {"model":"m","input":[
              {"role":"developer","content":"Use tools."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"Weather "},{"type":"input_text","text":"in Paris?"}]},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"need the tool"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
              {"type":"function_call","call_id":"call_2","name":"get_time","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"sunny"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"noon"}]},
              {"role":"user","content":"Thanks"}]}
            """);

        var messages = parsed.Request.Messages;
        Assert.Equal(6, messages.Count);
        Assert.Equal(new ChatMessage(ChatRole.System, "Use tools."), messages[0]);
        Assert.Equal(new ChatMessage(ChatRole.User, "Weather in Paris?"), messages[1]);
        Assert.Equal(ChatRole.Assistant, messages[2].Role);
        Assert.Equal("Checking.", messages[2].Content);
        Assert.Equal("need the tool", messages[2].ReasoningContent);
        Assert.Equal(
            [new ToolCall("call_1", "get_weather", """{"city":"Paris"}"""), new ToolCall("call_2", "get_time", "{}")],
            messages[2].ToolCalls);
        Assert.Equal(new ChatMessage(ChatRole.Tool, "sunny") { ToolCallId = "call_1" }, messages[3]);
        Assert.Equal(new ChatMessage(ChatRole.Tool, "noon") { ToolCallId = "call_2" }, messages[4]);
        Assert.Equal(new ChatMessage(ChatRole.User, "Thanks"), messages[5]);
        Assert.Equal(9, parsed.InputItems.Count);
        Assert.Equal("rs_1", parsed.InputItems[2]["id"]!.GetValue<string>());
        Assert.All(parsed.InputItems, item => Assert.NotNull(item["id"]));
    }

    [Fact]
    public void A_turn_of_calls_alone_has_no_content()
    {
        var parsed = Parse("""
            {"model":"m","input":[{"role":"user","content":"Weather?"},
              {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
              {"type":"function_call_output","call_id":"call_1","output":"sunny"}]}
            """);

        Assert.Null(parsed.Request.Messages[1].Content);
        Assert.Single(parsed.Request.Messages[1].ToolCalls);
    }

    [Fact]
    public void Function_tools_take_the_chat_shape_hosted_tools_are_ignored_and_the_choice_is_checked()
    {
        var parsed = Parse("""
            {"model":"m","input":"x","parallel_tool_calls":false,
             "tools":[{"type":"web_search_preview"},
                      {"type":"function","name":"get_weather","description":"d","parameters":{"type":"object"},"strict":true}],
             "tool_choice":{"type":"function","name":"get_weather"}}
            """);

        var tool = Assert.Single(parsed.Request.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("get_weather", tool.Raw["function"]!["name"]!.GetValue<string>());
        Assert.Equal("object", tool.Raw["function"]!["parameters"]!["type"]!.GetValue<string>());
        Assert.Equal(ToolChoice.Function("get_weather"), parsed.Request.ToolChoice);
        Assert.False(parsed.Request.ParallelToolCalls);
        Assert.Equal("tools[0]", Assert.Single(parsed.Ignored).Name);
        Assert.Single(parsed.Settings.Tools);

        var strict = Assert.Throws<InvalidRequestException>(() => Parse("""
            {"model":"m","input":"x","tools":[{"type":"web_search_preview"}]}
            """, strict: true));
        Assert.Equal("tools[0]", strict.Param);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"custom","name":"c"}]}""", "tools[0].type")]
    [InlineData("""{"model":"m","input":"x","tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"function","name":"f"}],"tool_choice":{"type":"function","name":"g"}}""", "tool_choice.function.name")]
    [InlineData("""{"model":"m","input":"x","tool_choice":{"type":"web_search_preview"}}""", "tool_choice.type")]
    [InlineData("""{"model":"m","input":[{"type":"item_reference","id":"msg_1"}]}""", "input[0].type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"x"}]}]}""", "input[0].content[0].type")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","output":"x"}]}""", "input[0].call_id")]
    [InlineData("""{"model":"m","input":"x","background":true}""", "background")]
    [InlineData("""{"model":"m","input":"x","conversation":"conv_1"}""", "conversation")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"huge"}}""", "reasoning.effort")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    public void Wrong_fields_are_a_400_naming_them(string json, string param)
    {
        var error = Assert.Throws<InvalidRequestException>(() => Parse(json));
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Text_format_and_reasoning_effort_map_as_on_chat()
    {
        var parsed = Parse("""
            {"model":"m","input":"x","reasoning":{"effort":"low","summary":"auto"},
             "text":{"format":{"type":"json_schema","name":"point","schema":{"type":"object"},"strict":true}}}
            """);

        Assert.Equal(ResponseFormatKind.JsonSchema, parsed.Request.ResponseFormat.Kind);
        Assert.Equal("point", parsed.Request.ResponseFormat.Name);
        Assert.True(parsed.Request.ResponseFormat.Strict);
        Assert.Equal(new ReasoningControl(true, ReasoningEffort.Low), parsed.Request.Reasoning);
        Assert.Equal("low", parsed.Settings.ReasoningEffort);
        Assert.Equal("json_schema", parsed.Settings.Text["format"]!["type"]!.GetValue<string>());

        Assert.Equal(ResponseFormatKind.JsonObject, Parse("""{"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").Request.ResponseFormat.Kind);
        Assert.Equal(ReasoningControl.Off, Parse("""{"model":"m","input":"x","reasoning":{"effort":"none"}}""").Request.Reasoning);
    }

    [Fact]
    public void Unknown_fields_are_ignored_by_default_and_refused_when_strict()
    {
        var parsed = Parse("""{"model":"m","input":"x","frobnicate":1,"truncation":"auto","include":["reasoning.encrypted_content"]}""");
        Assert.Equal(["frobnicate", "truncation", "include"], parsed.Ignored.Select(f => f.Name));

        var error = Assert.Throws<InvalidRequestException>(() => Parse("""{"model":"m","input":"x","frobnicate":1}""", strict: true));
        Assert.Equal("frobnicate", error.Param);
    }

    [Fact]
    public void Input_tokens_needs_no_model()
    {
        Assert.Equal("", Parse("""{"input":"x"}""", countTokens: true).Model);
    }

    [Fact]
    public void A_continuation_puts_the_history_between_the_instructions_and_the_input()
    {
        var parsed = Parse("""{"model":"m","input":"And now?","instructions":"Sys"}""");
        ChatMessage[] history = [new(ChatRole.User, "First"), new(ChatRole.Assistant, "Reply")];

        Assert.Equal(
            [new ChatMessage(ChatRole.System, "Sys"), .. history, new ChatMessage(ChatRole.User, "And now?")],
            parsed.Continuing(history).Messages);
    }
}
