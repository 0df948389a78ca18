using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// A front instance over a scripted upstream (a raw HTTP server of the test's own): the upstream's errors reach the
/// client with the upstream's status and message, failures before the first byte are retried, a dropped
/// connection is a 502, and the credential sent upstream is the server's own, never the client's.
/// </summary>
public sealed class RemoteErrorTests
{
    private const string ChatBody = """{"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":5}""";

    private static readonly string OkStream = ScriptedUpstream.Stream(
        """{"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}""",
        """{"choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}""",
        """{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9}}""",
        "[DONE]");

    [Theory]
    [InlineData(401, "upstream_unauthorized", "authentication_error")]
    [InlineData(403, "upstream_forbidden", "authentication_error")]
    [InlineData(400, "bad_thing", "invalid_request_error")]
    [InlineData(500, "bad_thing", "server_error")]
    public async Task An_upstream_error_keeps_its_status_and_message(int status, string code, string type)
    {
        await using var upstream = new ScriptedUpstream(r => r.IsChat
            ? ScriptedUpstream.Json(status, $$$"""{"error":{"message":"upstream says no","type":"{{{(status == 500 ? "server_error" : "invalid_request_error")}}}","code":"bad_thing"}}""")
            : null);
        await using var front = await StartFrontAsync(upstream);

        using var response = await PostChatAsync(front);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        var error = body.RootElement.GetProperty("error");
        Assert.Contains("upstream says no", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(type, error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_429_passes_on_its_retry_after_and_is_not_retried()
    {
        await using var upstream = new ScriptedUpstream(r => r.IsChat
            ? ScriptedUpstream.Json(429, """{"error":{"message":"slow down","type":"rate_limit_error"}}""", "Retry-After: 7\r\n")
            : null);
        await using var front = await StartFrontAsync(upstream);

        using var response = await PostChatAsync(front);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.RetryAfter?.ToString());
        Assert.Single(upstream.Requests, r => r.IsChat);
    }

    [Fact]
    public async Task Dropped_connections_are_retried_then_answered_with_a_502()
    {
        await using var upstream = new ScriptedUpstream(_ => null);
        await using var front = await StartFrontAsync(upstream);

        using var response = await PostChatAsync(front);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_unreachable", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, upstream.Requests.Count(r => r.IsChat)); // the first try and two retries
    }

    [Fact]
    public async Task A_503_before_the_first_byte_is_retried_and_the_retry_answers()
    {
        var chats = 0;
        await using var upstream = new ScriptedUpstream(r => !r.IsChat ? null
            : Interlocked.Increment(ref chats) == 1 ? ScriptedUpstream.Json(503, """{"error":{"message":"warming up"}}""") : OkStream);
        await using var front = await StartFrontAsync(upstream);

        using var response = await PostChatAsync(front);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var choice = body.RootElement.GetProperty("choices")[0];
        Assert.Equal("Hello", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(9, body.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(2, chats);
    }

    [Fact]
    public async Task A_stream_cut_off_midway_ends_with_an_error_event()
    {
        await using var upstream = new ScriptedUpstream(r => r.IsChat
            ? "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
            : null);
        await using var front = await StartFrontAsync(upstream);

        using var content = new StringContent(ChatBody.Replace("\"max_tokens\":5", "\"stream\":true", StringComparison.Ordinal), Encoding.UTF8, "application/json");
        using var response = await front.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hel", text, StringComparison.Ordinal);
        Assert.Contains("upstream_incomplete", text, StringComparison.Ordinal);
        Assert.Single(upstream.Requests, r => r.IsChat); // bytes had flowed: never retried
    }

    [Fact]
    public async Task The_upstream_gets_the_servers_key_never_the_clients()
    {
        await using var upstream = new ScriptedUpstream(r => r.IsChat ? OkStream : null);
        await using var front = await StartFrontAsync(upstream);

        using var response = await PostChatAsync(front, clientKey: "client-secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chat = Assert.Single(upstream.Requests, r => r.IsChat);
        Assert.Equal("Bearer sk-server", chat.Headers["Authorization"]);
        Assert.DoesNotContain("client-secret", string.Join("\n", upstream.Requests.Select(r => string.Join(",", r.Headers.Values) + r.Body)), StringComparison.Ordinal);
        using var sent = JsonDocument.Parse(chat.Body);
        Assert.Equal("upstream-model", sent.RootElement.GetProperty("model").GetString());
        Assert.True(sent.RootElement.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Health_is_503_with_the_reason_while_the_upstream_is_down()
    {
        await using var front = await RunningServer.StartAsync(
            new EndpointOptions { Provider = "vllm", Model = "upstream-model", BaseUrl = "http://127.0.0.1:9/v1" }, waitUntilReady: false);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var health = await front.Http.GetAsync(new Uri("health", UriKind.Relative));
            using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
            if (body.RootElement.GetProperty("status").GetString() == "unavailable")
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                Assert.Contains("127.0.0.1:9", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "health never reported the upstream down");
            await Task.Delay(50);
        }
    }

    private static async Task<RunningServer> StartFrontAsync(ScriptedUpstream upstream) =>
        await RunningServer.StartAsync(new EndpointOptions
        {
            Provider = "openai-compatible",
            Model = "upstream-model",
            BaseUrl = upstream.BaseUrl.AbsoluteUri,
            UpstreamApiKey = "sk-server",
        });

    private static async Task<HttpResponseMessage> PostChatAsync(RunningServer front, string? clientKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(ChatBody, Encoding.UTF8, "application/json"),
        };
        if (clientKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clientKey);
        }

        return await front.Http.SendAsync(request);
    }
}
