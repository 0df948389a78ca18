using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Tool and structured-output requests the server cannot honour are 400s naming the field, never a crash.</summary>
[Collection(SyntheticServerCollection.Name)]
public sealed class StructuredOutputErrorTests(SyntheticServerFixture fixture)
{
    private const string Ask = "\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private const string Weather = "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}";

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"bad\",\"schema\":{\"type\":\"frobnicate\"}}}",
            "response_format.json_schema.schema", "Invalid schema for response_format 'bad'"
        },
        {
            "\"tools\":[" + Weather + ",{\"type\":\"function\",\"function\":{\"name\":\"broken\",\"parameters\":{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/missing\"}}}}}],\"tool_choice\":\"required\"",
            "tools[1].function.parameters", "'broken'"
        },
        {
            "\"tools\":[" + Weather + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"launch_rocket\"}}",
            "tool_choice.function.name", "'launch_rocket'"
        },
        {
            "\"tool_choice\":\"required\"",
            "tool_choice", "only allowed when 'tools'"
        },
        {
            "\"tools\":[" + Weather + "],\"response_format\":{\"type\":\"json_object\"}",
            "response_format", "tool_choice"
        },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Refused_with_a_400_naming_the_field(string fields, string param, string mentions)
    {
        var server = fixture.Require();

        var (status, body) = await PostAsync(server, "{" + Ask + "," + fields + "}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(mentions, error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The server keeps serving.
        var (after, _) = await PostAsync(server, "{" + Ask + ",\"max_tokens\":2}");
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [SkippableFact]
    public async Task Tool_choice_none_returns_no_tool_calls()
    {
        var server = fixture.Require();

        var (status, body) = await PostAsync(server, "{" + Ask + ",\"tools\":[" + Weather + "],\"tool_choice\":\"none\",\"max_tokens\":8}");

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = body.GetProperty("choices")[0];
        Assert.False(choice.GetProperty("message").TryGetProperty("tool_calls", out _));
        Assert.NotEqual("tool_calls", choice.GetProperty("finish_reason").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(RunningServer server, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
