using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary><c>--max-tokens-limit</c> and <c>--max-choices</c> on a real server.</summary>
public sealed class TokenLimitTests : IAsyncLifetime
{
    private const int TokenLimit = 6;
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = 2,
            ContextSize = 1024,
            Threads = 2,
            MaxTokensLimit = TokenLimit,
            MaxChoices = 2,
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Max_tokens_above_the_limit_is_a_400_and_no_max_tokens_gets_the_limit()
    {
        using var above = await PostAsync("v1/chat/completions", "{\"model\":\"m\",\"max_tokens\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Assert.Equal(HttpStatusCode.BadRequest, above.StatusCode);
        Assert.Equal("max_tokens", JsonDocument.Parse(await above.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());

        using var unbounded = await PostAsync("v1/chat/completions",
            "{\"model\":\"m\",\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Assert.Equal(HttpStatusCode.OK, unbounded.StatusCode);
        var reply = JsonDocument.Parse(await unbounded.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TokenLimit, reply.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", reply.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task More_choices_than_the_limit_is_a_400_naming_n()
    {
        using var response = await PostAsync("v1/chat/completions", "{\"model\":\"m\",\"n\":3,\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("n", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Completions_hold_the_same_token_limit()
    {
        using var above = await PostAsync("v1/completions", "{\"model\":\"m\",\"max_tokens\":7,\"prompt\":\"once upon\"}");
        Assert.Equal(HttpStatusCode.BadRequest, above.StatusCode);
        var error = JsonDocument.Parse(await above.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("max_tokens", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());

        using var unbounded = await PostAsync("v1/completions", "{\"model\":\"m\",\"ignore_eos\":true,\"prompt\":\"once upon\"}");
        Assert.Equal(HttpStatusCode.OK, unbounded.StatusCode);
        var reply = JsonDocument.Parse(await unbounded.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(TokenLimit, reply.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", reply.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Theory]
    [InlineData("\"n\":3")]
    [InlineData("\"n\":1,\"best_of\":3")]
    public async Task Completions_with_more_choices_than_the_limit_are_a_400(string choices)
    {
        using var response = await PostAsync("v1/completions", "{\"model\":\"m\"," + choices + ",\"max_tokens\":2,\"prompt\":\"hi\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("n", error.GetProperty("param").GetString());
        Assert.Contains("--max-choices", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string body) =>
        await _server.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
}
