using System.Text;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary>Valid bodies and how each field lands in the domain request.</summary>
public sealed class ChatCompletionRequestParserTests
{
    private const string UserHi = """[{"role":"user","content":"hi"}]""";

    internal static ParsedChatCompletion Parse(string json) => ChatCompletionRequestParser.Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>A minimal valid body plus <paramref name="extraFields"/> (a JSON object's members, without braces).</summary>
    internal static ParsedChatCompletion ParseWith(string extraFields) =>
        Parse($$"""{"model":"m","messages":{{UserHi}},{{extraFields}}}""");

    [Fact]
    public void Minimal_body_gets_the_defaults()
    {
        var parsed = Parse($$"""{"model":"qwen","messages":{{UserHi}}}""");

        Assert.Equal("qwen", parsed.Model);
        Assert.False(parsed.Stream);
        Assert.False(parsed.IncludeUsage);
        var message = Assert.Single(parsed.Request.Messages);
        Assert.Equal(ChatRole.User, message.Role);
        Assert.Equal("hi", message.Content);
        Assert.Empty(message.ToolCalls);
        Assert.Null(message.ToolCallId);
        Assert.Empty(parsed.Request.Tools);
        Assert.Null(parsed.Request.Limits.MaxOutputTokens);
        Assert.Empty(parsed.Request.Limits.StopSequences);
        Assert.Empty(parsed.Request.TemplateVariables);
        Assert.Null(parsed.Request.PromptCacheKey);
        Assert.Equal(1, parsed.Request.Choices);
        var sampling = parsed.Request.Sampling;
        Assert.Equal(0.7f, sampling.Temperature);
        Assert.Equal(1.0f, sampling.TopP);
        Assert.Null(sampling.Seed);
        Assert.Empty(sampling.LogitBias);
    }

    [Fact]
    public void Sampling_fields_are_all_mapped()
    {
        var sampling = ParseWith("""
            "temperature":0,"top_p":0.9,"top_k":40,"min_p":0.05,"frequency_penalty":-1.5,"presence_penalty":2,
            "repeat_penalty":1.1,"seed":1234,"logit_bias":{"15":-100,"7":5.5}
            """).Request.Sampling;

        Assert.Equal(0f, sampling.Temperature);
        Assert.Equal(0.9f, sampling.TopP);
        Assert.Equal(40, sampling.TopK);
        Assert.Equal(0.05f, sampling.MinP);
        Assert.Equal(-1.5f, sampling.FrequencyPenalty);
        Assert.Equal(2f, sampling.PresencePenalty);
        Assert.Equal(1.1f, sampling.RepeatPenalty);
        Assert.Equal(1234u, sampling.Seed);
        Assert.Equal(new Dictionary<int, float> { [15] = -100f, [7] = 5.5f }, sampling.LogitBias);
    }

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("4294967295", uint.MaxValue)]
    [InlineData("-1", null)]
    [InlineData("-42", null)]
    [InlineData("null", null)]
    public void Seed_negative_means_random(string seed, uint? expected)
    {
        Assert.Equal(expected, ParseWith($"\"seed\":{seed}").Request.Sampling.Seed);
    }

    [Theory]
    [InlineData("\"max_tokens\":100", 100)]
    [InlineData("\"max_completion_tokens\":50", 50)]
    [InlineData("\"max_tokens\":100,\"max_completion_tokens\":50", 50)]
    [InlineData("\"max_completion_tokens\":50,\"max_tokens\":100", 50)]
    [InlineData("\"max_tokens\":null", null)]
    public void Max_completion_tokens_takes_precedence_over_max_tokens(string fields, int? expected)
    {
        Assert.Equal(expected, ParseWith(fields).Request.Limits.MaxOutputTokens);
    }

    [Theory]
    [InlineData("\"END\"", new[] { "END" })]
    [InlineData("[\"a\",\"\\n\\n\"]", new[] { "a", "\n\n" })]
    [InlineData("\"\"", new string[0])]
    [InlineData("[\"\",\"x\"]", new[] { "x" })]
    [InlineData("[]", new string[0])]
    public void Stop_accepts_a_string_or_an_array(string stop, string[] expected)
    {
        Assert.Equal(expected, ParseWith($"\"stop\":{stop}").Request.Limits.StopSequences);
    }

    [Theory]
    [InlineData("\"stream\":true", true, false)]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":true}", true, true)]
    [InlineData("\"stream_options\":{\"include_usage\":true},\"stream\":true", true, true)]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":false}", true, false)]
    [InlineData("\"stream\":true,\"stream_options\":{}", true, false)]
    [InlineData("\"stream\":false", false, false)]
    [InlineData("\"stream\":false,\"stream_options\":null", false, false)]
    public void Stream_and_include_usage(string fields, bool stream, bool includeUsage)
    {
        var parsed = ParseWith(fields);

        Assert.Equal(stream, parsed.Stream);
        Assert.Equal(includeUsage, parsed.IncludeUsage);
    }

    [Theory]
    [InlineData("\"n\":1", 1)]
    [InlineData("\"n\":3", 3)]
    [InlineData("\"n\":128", 128)]
    [InlineData("\"n\":null", 1)]
    public void N_becomes_the_number_of_choices(string field, int expected)
    {
        Assert.Equal(expected, ParseWith(field).Request.Choices);
    }

    [Fact]
    public void Tools_are_mapped_with_their_raw_json()
    {
        var parsed = ParseWith("""
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]
            """);

        var tool = Assert.Single(parsed.Request.Tools);
        Assert.Equal("get_weather", tool.Name);
        Assert.Equal("Weather now", tool.Description);
        Assert.Equal("string", tool.Parameters!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("function", tool.Raw["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"auto\"", 1)]
    [InlineData("\"none\"", 0)]
    [InlineData("null", 1)]
    public void Tool_choice_none_keeps_tools_out_of_the_prompt(string choice, int expectedTools)
    {
        var parsed = ParseWith($"\"tool_choice\":{choice}," + """
            "tools":[{"type":"function","function":{"name":"f"}}]
            """);

        Assert.Equal(expectedTools, parsed.Request.Tools.Count);
    }

    [Fact]
    public void Chat_template_kwargs_become_template_variables()
    {
        var variables = ParseWith("""
            "chat_template_kwargs":{"enable_thinking":false,"nested":{"a":[1,2]},"nothing":null}
            """).Request.TemplateVariables;

        Assert.False(variables["enable_thinking"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":[1,2]}"""), variables["nested"]));
        Assert.True(variables.ContainsKey("nothing"));
        Assert.Null(variables["nothing"]);
    }

    [Theory]
    [InlineData("\"  session-1  \"", "session-1")]
    [InlineData("\"   \"", null)]
    [InlineData("\"\"", null)]
    [InlineData("null", null)]
    public void Prompt_cache_key_is_trimmed(string key, string? expected)
    {
        Assert.Equal(expected, ParseWith($"\"prompt_cache_key\":{key}").Request.PromptCacheKey);
    }

    [Fact]
    public void Prompt_cache_binding_is_a_binding_id_string_or_an_object_of_texts()
    {
        var bare = ParseWith("\"prompt_cache_binding\":\"  pcb_1 \"").Request.PromptCacheBinding!;
        Assert.Equal([new("binding_id", "pcb_1")], bare.Fields);
        Assert.False(bare.IsEmpty);

        var full = ParseWith("""
            "prompt_cache_binding":{"key":" k ","binding_id":"b","manifest_version":2,"provider":null,"bloc_sha256":"x"}
            """).Request.PromptCacheBinding!;
        Assert.Equal(
            [new("key", "k"), new("binding_id", "b"), new("manifest_version", "2"), new("bloc_sha256", "x")],
            full.Fields);
        Assert.Equal("k", full["key"]);
        Assert.Null(full["provider"]);

        Assert.True(ParseWith("\"prompt_cache_binding\":{}").Request.PromptCacheBinding!.IsEmpty);
        Assert.Null(ParseWith("\"prompt_cache_binding\":null").Request.PromptCacheBinding);
        var error = Assert.Throws<Core.Errors.InvalidRequestException>(() => ParseWith("\"prompt_cache_binding\":[1]"));
        Assert.Equal("prompt_cache_binding", error.Param);
    }

    [Theory]
    [InlineData("\" 24h \"", "24h")]
    [InlineData("\"in_memory\"", "in_memory")]
    [InlineData("\"  \"", null)]
    [InlineData("null", null)]
    public void Prompt_cache_retention_is_accepted_trimmed(string retention, string? expected)
    {
        var parsed = ParseWith($"\"prompt_cache_retention\":{retention}");
        Assert.Equal(expected, parsed.Request.PromptCacheRetention);
        Assert.Empty(parsed.Ignored);
    }

    [Fact]
    public void Text_parts_are_joined()
    {
        var parsed = Parse("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Hello, "},{"type":"text","text":"world"}]}]}
            """);

        Assert.Equal("Hello, world", parsed.Request.Messages[0].Content);
    }

    [Fact]
    public void Every_role_and_message_shape_is_mapped()
    {
        var messages = Parse("""
            {"model":"m","messages":[
              {"role":"system","content":"sys"},
              {"role":"developer","content":"dev"},
              {"role":"user","content":"weather?","name":"alice"},
              {"role":"assistant","content":null,"reasoning_content":"think","tool_calls":[
                {"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                {"type":"function","function":{"name":"get_time","arguments":{"tz":"CET"}}}]},
              {"role":"tool","tool_call_id":"call_abc","content":"sunny"},
              {"role":"assistant","content":"It is sunny."}
            ]}
            """).Request.Messages;

        Assert.Equal(
            [ChatRole.System, ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant],
            messages.Select(m => m.Role));
        Assert.Equal("dev", messages[1].Content);
        Assert.Equal("alice", messages[2].Name);

        var call = messages[3];
        Assert.Null(call.Content);
        Assert.Equal("think", call.ReasoningContent);
        // A call without an id gets a fresh random one (never one the client may have used); object arguments
        // are kept as JSON text.
        Assert.Equal(new ToolCall("call_abc", "get_weather", """{"city":"Paris"}"""), call.ToolCalls[0]);
        Assert.Equal(("get_time", """{"tz":"CET"}"""), (call.ToolCalls[1].Name, call.ToolCalls[1].ArgumentsJson));
        Assert.Matches("^call_[0-9a-f]{24}$", call.ToolCalls[1].Id);

        Assert.Equal("call_abc", messages[4].ToolCallId);
        Assert.Equal("sunny", messages[4].Content);
        Assert.Equal("It is sunny.", messages[5].Content);
    }

    [Theory]
    [InlineData("\"user\":\"u-1\"")]
    [InlineData("\"logprobs\":false")]
    [InlineData("\"store\":false")]
    [InlineData("\"metadata\":{\"k\":\"v\"}")]
    [InlineData("\"modalities\":[\"text\"]")]
    [InlineData("\"service_tier\":\"auto\"")]
    [InlineData("\"service_tier\":\"default\"")]
    [InlineData("\"parallel_tool_calls\":true")]
    [InlineData("\"response_format\":{\"type\":\"text\"}")]
    [InlineData("\"temperature\":null,\"top_logprobs\":null,\"functions\":null")]
    public void Harmless_fields_are_accepted(string field)
    {
        Assert.Equal("m", ParseWith(field).Model);
    }
}
