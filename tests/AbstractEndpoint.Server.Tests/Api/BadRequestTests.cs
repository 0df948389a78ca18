using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Malformed requests get OpenAI-style 4xx errors, and the server keeps serving afterwards.</summary>
[Collection(SyntheticServerCollection.Name)]
public sealed class BadRequestTests(SyntheticServerFixture fixture)
{
    public static TheoryData<string, string, HttpStatusCode, string?> Cases => new()
    {
        { "malformed JSON", "{\"model\":\"\",\"messages\":[", HttpStatusCode.BadRequest, null },
        { "not an object", "[1,2,3]", HttpStatusCode.BadRequest, "body" },
        { "empty body", "", HttpStatusCode.BadRequest, null },
        { "missing messages", "{\"model\":\"\"}", HttpStatusCode.BadRequest, "messages" },
        { "empty messages", "{\"model\":\"\",\"messages\":[]}", HttpStatusCode.BadRequest, "messages" },
        { "messages not a list", "{\"model\":\"\",\"messages\":\"hi\"}", HttpStatusCode.BadRequest, "messages" },
        { "unknown role", "{\"model\":\"\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", HttpStatusCode.BadRequest, "messages[0].role" },
        { "missing role", "{\"model\":\"\",\"messages\":[{\"content\":\"hi\"}]}", HttpStatusCode.BadRequest, "messages[0].role" },
        { "content wrong type", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", HttpStatusCode.BadRequest, "messages[0].content" },
        { "image content", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}}]}]}", HttpStatusCode.BadRequest, "messages[0].content[0]" },
        { "temperature out of range", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}", HttpStatusCode.BadRequest, "temperature" },
        { "temperature wrong type", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", HttpStatusCode.BadRequest, "temperature" },
        { "max_tokens zero", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", HttpStatusCode.BadRequest, "max_tokens" },
        { "max_tokens fractional", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1.5}", HttpStatusCode.BadRequest, "max_tokens" },
        { "beyond the context", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":100000}", HttpStatusCode.BadRequest, "messages" },
        { "n above the slots", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":9}", HttpStatusCode.BadRequest, "n" },
        { "stream_options without stream", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":true}}", HttpStatusCode.BadRequest, "stream_options" },
        { "logit_bias key not a token", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{\"abc\":1}}", HttpStatusCode.BadRequest, "logit_bias" },
        { "logit_bias token beyond vocabulary", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{\"999999\":1}}", HttpStatusCode.BadRequest, "logit_bias" },
        { "tool message without id", "{\"model\":\"\",\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]}", HttpStatusCode.BadRequest, "messages[0].tool_call_id" },
        { "deeply nested JSON", "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"metadata\":" + new string('[', 5000) + new string(']', 5000) + "}", HttpStatusCode.BadRequest, null },
    };

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_an_OpenAI_error_and_the_server_keeps_serving(
        string name, string body, HttpStatusCode expectedStatus, string? expectedParam)
    {
        var server = fixture.Require();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        Assert.True(expectedStatus == response.StatusCode, $"{name}: got {(int)response.StatusCode}");
        var error = await ReadErrorAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), name);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (expectedParam is not null)
        {
            Assert.Equal(expectedParam, error.GetProperty("param").GetString());
        }

        await AssertStillServingAsync(server);
    }

    [SkippableFact]
    public async Task Unknown_routes_and_methods_get_the_error_envelope()
    {
        var server = fixture.Require();

        using var notFound = await server.Http.GetAsync(new Uri("v1/nothing-here", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("unknown_url", (await ReadErrorAsync(notFound)).GetProperty("code").GetString());

        using var wrongMethod = await server.Http.GetAsync(new Uri("v1/chat/completions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("method_not_allowed", (await ReadErrorAsync(wrongMethod)).GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task The_context_error_states_the_numbers()
    {
        var server = fixture.Require();
        using var content = new StringContent(
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5000}", Encoding.UTF8, "application/json");

        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        var error = await ReadErrorAsync(response);
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("2048", message, StringComparison.Ordinal);
        Assert.Contains("5000 in the completion", message, StringComparison.Ordinal);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
    }

    private static async Task<JsonElement> ReadErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error.Clone();
    }

    private static async Task AssertStillServingAsync(RunningServer server)
    {
        using var content = new StringContent(
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}", Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
