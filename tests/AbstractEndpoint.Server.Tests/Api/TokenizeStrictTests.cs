using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Under <c>--strict-requests</c> the new small routes refuse unknown fields like the chat route.</summary>
public sealed class TokenizeStrictTests(StrictServerFixture fixture) : IClassFixture<StrictServerFixture>
{
    [Theory]
    [InlineData("tokenize", "{\"content\":\"hi\",\"frobnicate\":1}")]
    [InlineData("detokenize", "{\"tokens\":[1],\"frobnicate\":1}")]
    [InlineData("v1/chat/completions/input_tokens", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"frobnicate\":1}")]
    public async Task Unknown_fields_are_refused(string route, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Server.Http.PostAsync(new Uri(route, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unknown_parameter", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("frobnicate", error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
