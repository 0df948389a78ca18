using System.Text;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

/// <summary>Every body the parser cannot honour is a 400 naming the field at fault.</summary>
public sealed class ChatCompletionRequestErrorTests
{
    private static InvalidRequestException Refuse(string json) =>
        Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(Encoding.UTF8.GetBytes(json)));

    private static InvalidRequestException RefuseWith(string extraFields) =>
        Refuse($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{extraFields}}}""");

    /// <summary>Under <c>--strict-requests</c>: unknown fields and unavailable features are refused, as before.</summary>
    private static InvalidRequestException RefuseStrictWith(string extraFields) =>
        Assert.Throws<InvalidRequestException>(() => ChatCompletionRequestParser.Parse(
            Encoding.UTF8.GetBytes($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],{{extraFields}}}"""), strict: true));

    private static InvalidRequestException RefuseMessages(string messages) =>
        Refuse($$"""{"model":"m","messages":{{messages}}}""");

    [Theory]
    [InlineData("")]
    [InlineData("{\"model\":")]
    [InlineData("{'model':'m'}")]
    [InlineData("{\"model\":\"m\",}")]
    public void Malformed_json(string body)
    {
        var error = Refuse(body);

        Assert.Null(error.Param);
        Assert.Equal("invalid_json", error.Code);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Body_that_is_not_an_object(string body)
    {
        Assert.Equal("body", Refuse(body).Param);
    }

    [Theory]
    [InlineData("{\"model\":\"m\"}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":null}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "messages")]
    [InlineData("{\"model\":\"m\",\"messages\":\"hi\"}", "messages")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model")]
    public void Missing_or_empty_required_fields(string body, string param)
    {
        Assert.Equal(param, Refuse(body).Param);
    }

    [Theory]
    [InlineData("""[{"role":"robot","content":"x"}]""", "messages[0].role", "invalid_value")]
    [InlineData("""[{"content":"x"}]""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""[{"role":5,"content":"x"}]""", "messages[0].role", "invalid_type")]
    [InlineData("""["hi"]""", "messages[0]", "invalid_type")]
    [InlineData("""[{"role":"user","content":"ok"},{"role":"user"}]""", "messages[1].content", "missing_required_parameter")]
    [InlineData("""[{"role":"user","content":null}]""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""[{"role":"assistant","content":null}]""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""[{"role":"assistant","content":null,"tool_calls":[]}]""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""[{"role":"user","content":42}]""", "messages[0].content", "invalid_type")]
    [InlineData("""[{"role":"user","content":[{"type":"video","text":"x"}]}]""", "messages[0].content[0].type", "invalid_value")]
    [InlineData("""[{"role":"user","content":[{"text":"x"}]}]""", "messages[0].content[0].type", "invalid_value")]
    [InlineData("""[{"role":"user","content":[{"type":"text"}]}]""", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("""[{"role":"user","content":["x"]}]""", "messages[0].content[0]", "invalid_type")]
    [InlineData("""[{"role":"user","content":"q"},{"role":"tool","content":"42"}]""", "messages[1].tool_call_id", "missing_required_parameter")]
    [InlineData("""[{"role":"tool","content":"42","tool_call_id":7}]""", "messages[0].tool_call_id", "invalid_type")]
    [InlineData("""[{"role":"user","content":"x","tool_calls":[{"function":{"name":"f"}}]}]""", "messages[0].tool_calls", null)]
    [InlineData("""[{"role":"assistant","tool_calls":[{"id":"c"}]}]""", "messages[0].tool_calls[0].function", "missing_required_parameter")]
    [InlineData("""[{"role":"assistant","tool_calls":[{"function":{"arguments":"{}"}}]}]""", "messages[0].tool_calls[0].function.name", "missing_required_parameter")]
    [InlineData("""[{"role":"assistant","tool_calls":{}}]""", "messages[0].tool_calls", "invalid_type")]
    [InlineData("""[{"role":"user","content":"x","name":1}]""", "messages[0].name", "invalid_type")]
    public void Invalid_messages(string messages, string param, string? code)
    {
        var error = RefuseMessages(messages);

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("image_url", "images")]
    [InlineData("input_image", "images")]
    [InlineData("input_audio", "audio")]
    [InlineData("file", "files")]
    public void Non_text_parts_are_refused(string type, string what)
    {
        var error = RefuseMessages($$"""[{"role":"user","content":[{"type":"text","text":"look"},{"type":"{{type}}"}]}]""");

        Assert.Equal("messages[0].content[1]", error.Param);
        Assert.Contains($"does not accept {what}", error.Message, StringComparison.Ordinal);
        Assert.Equal("unsupported_content", error.Code);
    }

    [Theory]
    [InlineData("\"model\":5", "model")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"temperature\":true", "temperature")]
    [InlineData("\"top_p\":[1]", "top_p")]
    [InlineData("\"top_k\":1.5", "top_k")]
    [InlineData("\"seed\":1.5", "seed")]
    [InlineData("\"seed\":\"7\"", "seed")]
    [InlineData("\"max_tokens\":\"10\"", "max_tokens")]
    [InlineData("\"n\":1.5", "n")]
    [InlineData("\"max_completion_tokens\":10.5", "max_completion_tokens")]
    [InlineData("\"stream\":\"yes\"", "stream")]
    [InlineData("\"stream\":1", "stream")]
    [InlineData("\"stop\":5", "stop")]
    [InlineData("\"stop\":[\"a\",1]", "stop[1]")]
    [InlineData("\"logit_bias\":[]", "logit_bias")]
    [InlineData("\"logit_bias\":{\"5\":\"x\"}", "logit_bias.5")]
    [InlineData("\"tools\":{}", "tools")]
    [InlineData("\"tools\":[5]", "tools[0]")]
    [InlineData("\"tool_choice\":5", "tool_choice")]
    [InlineData("\"stream\":true,\"stream_options\":true", "stream_options")]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}", "stream_options.include_usage")]
    [InlineData("\"chat_template_kwargs\":[]", "chat_template_kwargs")]
    [InlineData("\"prompt_cache_key\":5", "prompt_cache_key")]
    [InlineData("\"user\":5", "user")]
    [InlineData("\"metadata\":\"x\"", "metadata")]
    [InlineData("\"response_format\":\"json\"", "response_format")]
    [InlineData("\"parallel_tool_calls\":\"yes\"", "parallel_tool_calls")]
    public void Wrong_types(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData("\"temperature\":2.01", "temperature")]
    [InlineData("\"temperature\":-0.1", "temperature")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"top_k\":-1", "top_k")]
    [InlineData("\"min_p\":1.01", "min_p")]
    [InlineData("\"frequency_penalty\":2.5", "frequency_penalty")]
    [InlineData("\"presence_penalty\":-3", "presence_penalty")]
    [InlineData("\"repeat_penalty\":11", "repeat_penalty")]
    [InlineData("\"repeat_penalty\":0", "repeat_penalty")] // divides logits by 0: NaN under a grammar aborted llama.cpp
    [InlineData("\"repeat_penalty\":1e-300", "repeat_penalty")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"max_completion_tokens\":-5", "max_completion_tokens")]
    [InlineData("\"max_tokens\":3000000000", "max_tokens")]
    [InlineData("\"logit_bias\":{\"5\":101}", "logit_bias.5")]
    [InlineData("\"logit_bias\":{\"abc\":1}", "logit_bias")]
    [InlineData("\"logit_bias\":{\"-3\":1}", "logit_bias")]
    [InlineData("\"n\":0", "n")]
    [InlineData("\"n\":129", "n")]
    [InlineData("\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\",\"14\",\"15\",\"16\",\"17\"]", "stop")]
    public void Out_of_range_values(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("\"foo\":1", "foo")]
    [InlineData("\"Temperature\":1", "Temperature")]
    [InlineData("\"max_output_tokens\":5", "max_output_tokens")]
    [InlineData("\"frobnicate\":null", "frobnicate")]
    public void Unknown_field_under_strict_requests(string field, string param)
    {
        var error = RefuseStrictWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal($"Unrecognized request argument supplied: {param}", error.Message);
        Assert.Equal("unknown_parameter", error.Code);
    }

    [Theory]
    [InlineData("\"functions\":[]", "functions")]
    [InlineData("\"function_call\":\"auto\"", "function_call")]
    public void Unsupported_features(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("\"store\":true", "store")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"service_tier\":\"flex\"", "service_tier")]
    [InlineData("\"functions\":[]", "functions")]
    [InlineData("\"function_call\":\"auto\"", "function_call")]
    public void Unsupported_features_under_strict_requests(string field, string param)
    {
        var error = RefuseStrictWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
    }

    [Theory]
    [InlineData("\"tool_choice\":\"sometimes\"", "tool_choice")]
    [InlineData("\"response_format\":{\"type\":\"xml\"}", "response_format.type")]
    [InlineData("\"response_format\":{}", "response_format.type")]
    [InlineData("\"tools\":[{\"type\":\"retrieval\"}]", "tools[0].type")]
    [InlineData("\"tools\":[{\"function\":{\"name\":\"f\"}}]", "tools[0].type")]
    [InlineData("\"stream_options\":{\"include_usage\":true}", "stream_options")]
    [InlineData("\"stream\":false,\"stream_options\":{\"include_usage\":true}", "stream_options")]
    public void Invalid_values(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_value", error.Code);
    }

    [Theory]
    [InlineData("\"tools\":[{\"type\":\"function\"}]", "tools[0].function")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{}}]", "tools[0].function.name")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"\"}}]", "tools[0].function.name")]
    public void Tools_missing_required_parts(string field, string param)
    {
        var error = RefuseWith(field);

        Assert.Equal(param, error.Param);
        Assert.Equal("missing_required_parameter", error.Code);
    }

    [Theory]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[]}}]", "tools[0].function.parameters")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":5}}]", "tools[0].function.description")]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":true,\"extra\":1}", "stream_options.extra")]
    public void Nested_field_errors_name_the_nested_path(string field, string param)
    {
        Assert.Equal(param, RefuseWith(field).Param);
    }
}
