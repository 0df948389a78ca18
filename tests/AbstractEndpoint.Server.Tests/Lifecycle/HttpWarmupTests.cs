using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>
/// The start-up warm-up sends the server's own routes real requests before <c>/health</c> says healthy: they pass
/// <c>--api-key</c> with the server's short-lived pass, not a user's key, and are neither logged as traffic nor counted.
/// </summary>
public sealed class HttpWarmupTests
{
    private const string Key = "sk-warm-up-test";

    [Fact]
    public async Task Under_api_keys_the_warm_up_gets_through_and_shows_only_at_debug_and_not_in_the_metrics()
    {
        var logs = new CapturedLogs("AbstractEndpoint.Host");
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, Parallel = 2, ApiKey = Key, Metrics = true },
            configureServices: logs.AddTo);

        Assert.Contains(logs.Entries, e => e.Message.StartsWith("warmed up in ", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("warm-up skipped", StringComparison.Ordinal));

        // Its three requests reached the routes (200, through the key check) and are logged at debug only.
        var access = logs.Entries.Where(e => e.Category.EndsWith(".AccessLogMiddleware", StringComparison.Ordinal)
            && (string?)e.Fields["KeyId"] == "warm-up").ToList();
        Assert.Equal(3, access.Count);
        Assert.All(access, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.All(access, e => Assert.Equal(200, e.Fields["Status"]));
        Assert.Equal(2, access.Count(e => e.Message.StartsWith("POST /v1/chat/completions ", StringComparison.Ordinal)));
        Assert.Single(access, e => e.Message.StartsWith("POST /v1/completions ", StringComparison.Ordinal));

        // The pass expired with the warm-up: the same header now gets nothing past the key check.
        using (var forged = new HttpRequestMessage(HttpMethod.Get, new Uri("v1/models", UriKind.Relative)))
        {
            forged.Headers.Add(WarmupCredential.HeaderName, new string('0', 64));
            using var refused = await server.Http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var before = await ScrapeAsync(server);
        Assert.Equal(0, before.Sum("vllm:request_success_total"));
        Assert.Equal(0, before.Sum("vllm:e2e_request_latency_seconds_count"));
        Assert.Equal(0, before.Sum("vllm:generation_tokens_total"));

        // A user's request is logged at information and counted as before.
        using var content = new StringContent(
            """{"model":"","messages":[{"role":"user","content":"Hello"}],"max_tokens":1}""", Encoding.UTF8, "application/json");
        using var reply = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal(1, (await ScrapeAsync(server)).Sum("vllm:request_success_total"));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("POST /v1/chat/completions 200 ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pass_matches_only_between_issue_and_revoke()
    {
        var credential = new WarmupCredential();
        var request = new DefaultHttpContext().Request;
        Assert.False(credential.Matches(request));

        var pass = credential.Issue();
        request.Headers[WarmupCredential.HeaderName] = pass;
        Assert.True(credential.Matches(request));
        request.Headers[WarmupCredential.HeaderName] = pass[..^1] + (pass[^1] == '0' ? '1' : '0');
        Assert.False(credential.Matches(request));

        request.Headers[WarmupCredential.HeaderName] = pass;
        credential.Revoke();
        Assert.False(credential.Matches(request));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://0.0.0.0:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://[::]:5000", "http://[::1]:5000/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://+:5000", "http://127.0.0.1:5000/")]
    [InlineData("https://10.1.2.3:8443", "https://10.1.2.3:8443/")]
    public void A_listening_address_is_reached_from_inside_on_loopback_when_it_is_any_address(string listening, string reached) =>
        Assert.Equal(reached, HttpWarmup.Reachable(listening).ToString());

    private static async Task<PrometheusExposition> ScrapeAsync(RunningServer server)
    {
        using var response = await server.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }
}
