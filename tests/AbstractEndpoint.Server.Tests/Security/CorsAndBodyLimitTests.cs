using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary>A real server with <c>--cors-origins</c>, an API key and a small <c>--max-body-bytes</c>.</summary>
public sealed class CorsAndBodyLimitTests : IAsyncLifetime
{
    private const string Key = "sk-cors-test";
    private const string AllowedOrigin = "https://app.example";
    private const int MaxBody = 64 * 1024;

    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = 1,
            ContextSize = 512,
            Threads = 2,
            ApiKey = Key,
            CorsOrigins = AllowedOrigin + ",http://localhost:5173",
            MaxBodyBytes = MaxBody,
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_preflight_from_a_listed_origin_is_answered_without_a_key_and_without_credentials()
    {
        using var response = await PreflightAsync(AllowedOrigin);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Another_origin_gets_no_CORS_header()
    {
        using var response = await PreflightAsync("https://evil.example");

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Real_requests_and_their_401s_carry_the_origin_so_the_browser_app_can_read_them()
    {
        foreach (var (key, status) in new[] { (Key, HttpStatusCode.OK), ("wrong", HttpStatusCode.Unauthorized) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
            request.Headers.Add("Origin", AllowedOrigin);
            request.Headers.Add("Authorization", "Bearer " + key);
            using var response = await _server.Http.SendAsync(request);

            Assert.Equal(status, response.StatusCode);
            Assert.Equal(AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_in_the_OpenAI_shape_and_the_server_keeps_serving()
    {
        var body = "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', MaxBody) + "\"}]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Authorization", "Bearer " + Key);
        using var response = await _server.Http.SendAsync(request);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());

        using var models = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        models.Headers.Add("x-api-key", Key);
        using var after = await _server.Http.SendAsync(models);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public void Credentials_with_any_origin_are_refused_and_no_origins_means_no_CORS()
    {
        Assert.Throws<Host.Cli.UsageException>(() => CorsSetup.Origins(new EndpointOptions { Model = "m", CorsOrigins = "*", CorsCredentials = true }));
        Assert.Equal(["*"], CorsSetup.Origins(new EndpointOptions { Model = "m", CorsOrigins = " * " })!);
        Assert.Null(CorsSetup.Origins(new EndpointOptions { Model = "m", CorsOrigins = " , " }));
        Assert.Null(CorsSetup.Origins(new EndpointOptions { Model = "m" }));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private async Task<HttpResponseMessage> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await _server.Http.SendAsync(request);
    }
}
