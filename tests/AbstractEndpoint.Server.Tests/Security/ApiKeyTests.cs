using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary>A real server started with two API keys (one from <c>--api-key</c>, one from <c>--api-key-file</c>).</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string FlagKey = "sk-flag-key-one";
    private const string FileKey = "sk-file-key-two";
    private const string ChatBody = "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}";

    private readonly string _keyFile = Path.GetTempFileName();
    private RunningServer _server = null!;

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "v1/models" },
        { "POST", "v1/chat/completions" },
        { "GET", "slots" },
        { "GET", "status" },
        { "POST", "apply-template" },
        { "GET", "acore/prompt_cache/stats" },
        { "GET", "acore/prompt_cache/capabilities" },
        { "GET", "v1/no-such-route" }, // unknown paths answer 401 too: no key, no map of the routes
        { "POST", "v1/messages" },
        { "POST", "v1/responses" },
        { "GET", "v1/responses/resp_x" },
    };

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_keyFile, "# tenant B\n\n" + FileKey + "\n");
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = 2,
            ContextSize = 1024,
            Threads = 2,
            ApiKey = FlagKey + ", ",
            ApiKeyFile = _keyFile,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        File.Delete(_keyFile);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_a_key_every_route_but_the_public_ones_is_a_401(string method, string path)
    {
        foreach (var header in new (string Name, string Value)?[] { null, ("Authorization", "Bearer sk-wrong"), ("x-api-key", FlagKey + "x"), ("Authorization", FlagKey) })
        {
            using var response = await SendAsync(method, path, header);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            if (path.StartsWith("v1/messages", StringComparison.Ordinal))
            {
                Assert.Equal("error", body.GetProperty("type").GetString());
                Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());
            }
            else
            {
                Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
                Assert.Equal("invalid_api_key", body.GetProperty("error").GetProperty("code").GetString());
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            }
        }
    }

    [Theory]
    [InlineData("GET", "v1/models", HttpStatusCode.OK)]
    [InlineData("POST", "v1/chat/completions", HttpStatusCode.OK)]
    [InlineData("GET", "slots", HttpStatusCode.OK)]
    [InlineData("GET", "acore/prompt_cache/stats", HttpStatusCode.OK)]
    [InlineData("GET", "v1/no-such-route", HttpStatusCode.NotFound)] // past the key, routing answers as usual
    public async Task Either_key_in_either_header_lets_the_request_through(string method, string path, HttpStatusCode expected)
    {
        foreach (var header in new (string, string)?[] { ("Authorization", "Bearer " + FlagKey), ("authorization", "bearer " + FileKey), ("x-api-key", FileKey), ("x-api-key", FlagKey) })
        {
            using var response = await SendAsync(method, path, header);

            Assert.Equal(expected, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("health")]
    [InlineData("v1/health")]
    [InlineData("")]
    [InlineData("ui")]
    public async Task Health_and_the_web_page_stay_public(string path)
    {
        using var response = await SendAsync("GET", path, header: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_CORS_preflight_needs_no_key()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/chat/completions");
        request.Headers.Add("Origin", "https://app.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await _server.Http.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), "no CORS header without --cors-origins");
    }

    [Fact]
    public void Keys_are_matched_by_hash_and_named_by_a_short_id()
    {
        var keys = ApiKeySet.From(new EndpointOptions { Model = "m", ApiKey = "alpha,beta,alpha" });

        Assert.Equal(2, keys.Count);
        Assert.True(keys.TryMatch("beta", out var id));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("beta"u8))[..8], id);
        Assert.False(keys.TryMatch("bet", out _));
        Assert.False(keys.TryMatch("", out _));
        Assert.True(ApiKeySet.From(new EndpointOptions { Model = "m" }).IsEmpty);
    }

    [Fact]
    public async Task An_empty_or_missing_key_file_stops_the_server_at_start_with_code_2()
    {
        var empty = Path.GetTempFileName();
        try
        {
            foreach (var path in new[] { empty, empty + ".missing" })
            {
                var error = new StringWriter();
                var code = await Host.Cli.EndpointCommand.RunAsync(
                    ["--model", "m.gguf", "--api-key-file", path], new NoVariables(), (options, _) =>
                    {
                        EndpointServer.Build(options);
                        return Task.FromResult(0);
                    }, error: error);

                Assert.Equal(2, code);
                Assert.Contains("--api-key-file", error.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task A_stored_response_belongs_to_the_key_that_made_it()
    {
        async Task<HttpResponseMessage> Send(HttpMethod method, string path, string key, string? body = null)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            return await _server.Http.SendAsync(request);
        }

        using var created = await Send(HttpMethod.Post, "v1/responses", FlagKey, """{"model":"","input":"hi","max_output_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using (var own = await Send(HttpMethod.Get, $"v1/responses/{id}", FlagKey))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        // To another key the response does not exist: not readable, not deletable, not continuable.
        using (var other = await Send(HttpMethod.Get, $"v1/responses/{id}", FileKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (var delete = await Send(HttpMethod.Delete, $"v1/responses/{id}", FileKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        using (var continued = await Send(HttpMethod.Post, "v1/responses", FileKey, $$"""{"model":"","input":"more","max_output_tokens":2,"previous_response_id":"{{id}}"}"""))
        {
            Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
        }

        using var still = await Send(HttpMethod.Get, $"v1/responses/{id}/input_items", FlagKey);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, (string Name, string Value)? header)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(ChatBody, Encoding.UTF8, "application/json");
        }

        if (header is { } h)
        {
            request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        }

        return await _server.Http.SendAsync(request);
    }

    private sealed class NoVariables : Host.Cli.IEnvironment
    {
        public string? Get(string name) => null;
    }
}
