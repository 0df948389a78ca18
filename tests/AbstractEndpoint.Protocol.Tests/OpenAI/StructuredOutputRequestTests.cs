using System.Text;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary><c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>response_format</c>: how they land in the request, and every refusal.</summary>
public sealed class StructuredOutputRequestTests
{
    private const string Tools = """
        "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                 {"type":"function","function":{"name":"get_time"}}]
        """;

    private static ParsedChatCompletion ParseWith(string extraFields) => ChatCompletionRequestParserTests.ParseWith(extraFields);

    private static InvalidRequestException RefuseWith(string extraFields) =>
        Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(
            Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{extraFields}}}""")));

    [Fact]
    public void Defaults_are_auto_parallel_and_text()
    {
        var request = ParseWith(Tools).Request;

        Assert.Equal(ToolChoice.Auto, request.ToolChoice);
        Assert.True(request.ParallelToolCalls);
        Assert.Equal(ResponseFormat.Text, request.ResponseFormat);
        Assert.Equal(2, request.Tools.Count);
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceKind.Auto, 2)]
    [InlineData("\"required\"", ToolChoiceKind.Required, 2)]
    [InlineData("\"none\"", ToolChoiceKind.None, 0)]
    [InlineData("null", ToolChoiceKind.Auto, 2)]
    public void Tool_choice_strings(string choice, ToolChoiceKind kind, int toolsInPrompt)
    {
        var request = ParseWith($"\"tool_choice\":{choice},{Tools}").Request;

        Assert.Equal(kind, request.ToolChoice.Kind);
        Assert.Equal(toolsInPrompt, request.Tools.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Named_function_before_or_after_the_tools(bool toolsFirst)
    {
        const string choice = "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}";

        var request = ParseWith(toolsFirst ? $"{Tools},{choice}" : $"{choice},{Tools}").Request;

        Assert.Equal(ToolChoice.Function("get_time"), request.ToolChoice);
    }

    [Fact]
    public void Parallel_tool_calls_false_is_kept()
    {
        Assert.False(ParseWith($"\"parallel_tool_calls\":false,{Tools}").Request.ParallelToolCalls);
    }

    [Fact]
    public void Auto_without_tools_is_accepted()
    {
        Assert.Equal(ToolChoice.Auto, ParseWith("\"tool_choice\":\"auto\"").Request.ToolChoice);
    }

    [Theory]
    [InlineData("{\"type\":\"text\"}", ResponseFormatKind.Text)]
    [InlineData("{\"type\":\"json_object\"}", ResponseFormatKind.JsonObject)]
    public void Response_format_text_and_json_object(string format, ResponseFormatKind kind)
    {
        Assert.Equal(kind, ParseWith($"\"response_format\":{format}").Request.ResponseFormat.Kind);
    }

    [Fact]
    public void Response_format_json_schema_keeps_name_schema_and_strict()
    {
        var format = ParseWith("""
            "response_format":{"type":"json_schema","json_schema":{"name":"person_1","description":"A person.",
              "schema":{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]},"strict":true}}
            """).Request.ResponseFormat;

        Assert.Equal(ResponseFormatKind.JsonSchema, format.Kind);
        Assert.Equal("person_1", format.Name);
        Assert.True(format.Strict);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]}"""), format.Schema));
    }

    [Fact]
    public void Response_format_json_schema_without_schema_or_with_nulls()
    {
        var format = ParseWith("""
            "response_format":{"type":"json_schema","json_schema":{"name":"any","schema":null,"strict":null,"description":null}}
            """).Request.ResponseFormat;

        Assert.Equal(ResponseFormatKind.JsonSchema, format.Kind);
        Assert.Null(format.Schema);
        Assert.False(format.Strict);
    }

    [Theory]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"launch\"}}," + "TOOLS", "tool_choice.function.name", "invalid_value", "launch")]
    [InlineData("\"tool_choice\":\"required\"", "tool_choice", "invalid_value", "only allowed when 'tools'")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}", "tool_choice", "invalid_value", "only allowed when 'tools'")]
    [InlineData("\"tool_choice\":{\"function\":{\"name\":\"f\"}}", "tool_choice.type", "missing_required_parameter", "tool_choice.type")]
    [InlineData("\"tool_choice\":{\"type\":\"function\"}", "tool_choice.function", "missing_required_parameter", "tool_choice.function")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{}}", "tool_choice.function.name", "missing_required_parameter", "name")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\",\"x\":1}}", "tool_choice.function.x", "unknown_parameter", "tool_choice.function.x")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"},\"x\":1}", "tool_choice.x", "unknown_parameter", "tool_choice.x")]
    [InlineData("\"tool_choice\":{\"type\":\"allowed_tools\",\"allowed_tools\":{}}", "tool_choice.type", "unsupported_parameter", "allowed_tools")]
    [InlineData("\"tool_choice\":{\"type\":\"retrieval\"}", "tool_choice.type", "invalid_value", "retrieval")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":5}}", "tool_choice.function.name", "invalid_type", "tool_choice.function.name")]
    [InlineData("\"tool_choice\":{\"type\":\"function\",\"function\":\"f\"}", "tool_choice.function", "invalid_type", "tool_choice.function")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\"}", "response_format.json_schema", "missing_required_parameter", "json_schema")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}", "response_format.json_schema.name", "missing_required_parameter", "name")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a b\"}}", "response_format.json_schema.name", "invalid_value", "a b")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"schema\":[]}}", "response_format.json_schema.schema", "invalid_type", "schema")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"strict\":\"yes\"}}", "response_format.json_schema.strict", "invalid_type", "strict")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"format\":1}}", "response_format.json_schema.format", "unknown_parameter", "format")]
    [InlineData("\"response_format\":{\"type\":\"json_schema\",\"json_schema\":\"x\"}", "response_format.json_schema", "invalid_type", "json_schema")]
    [InlineData("\"response_format\":{\"type\":\"json_object\",\"json_schema\":{\"name\":\"x\"}}", "response_format.json_schema", "unknown_parameter", "json_schema")]
    [InlineData("\"response_format\":{\"type\":\"text\",\"extra\":true}", "response_format.extra", "unknown_parameter", "extra")]
    public void Refusals_name_the_field(string fields, string param, string code, string mentions)
    {
        var error = RefuseWith(fields.Replace("TOOLS", Tools, StringComparison.Ordinal));

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_named_function_lists_the_available_ones()
    {
        var error = RefuseWith($"\"tool_choice\":{{\"type\":\"function\",\"function\":{{\"name\":\"launch\"}}}},{Tools}");

        Assert.Equal(
            "Invalid value for 'tool_choice': no function named 'launch' is in 'tools' ('get_weather', 'get_time').",
            error.Message);
    }
}
