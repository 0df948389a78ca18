using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Server.Tests.Observability;

/// <summary>The access log of a real server: one line per request with its figures and key id, never the key or the prompt.</summary>
public sealed class AccessLogTests : IAsyncLifetime
{
    private const string Key = "sk-access-log-secret";
    private const string Prompt = "the secret prompt words";
    private readonly CapturedLogs _logs = new("AbstractEndpoint.Host.Observability.AccessLogMiddleware");
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Parallel = 2, ContextSize = 1024, Threads = 2, ApiKey = Key },
            configureServices: _logs.AddTo);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_generation_is_one_line_with_its_tokens_ttft_and_key_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(
                "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"" + Prompt + "\"}],\"max_tokens\":4}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");

        // The start-up warm-up's own requests are on the same route, at debug, under its own key id.
        var line = Assert.Single(_logs.Entries, e => (string?)e.Fields["Route"] == "/v1/chat/completions" && (string?)e.Fields["KeyId"] != "warm-up");
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("POST", line.Fields["Method"]);
        Assert.Equal(200, line.Fields["Status"]);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), line.Fields["PromptTokens"]);
        Assert.Equal(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), line.Fields["CachedTokens"]);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), line.Fields["GeneratedTokens"]);
        Assert.True(line.Fields["TtftMs"] is double ttft && ttft >= 0 && ttft <= (double)line.Fields["DurationMs"]!);
        var keyId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Key)))[..8];
        Assert.Equal(keyId, line.Fields["KeyId"]);
        Assert.DoesNotContain(Key, line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret prompt", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_status_and_no_key()
    {
        using var response = await _server.Http.GetAsync(new Uri("slots?token=" + Key, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        var line = Assert.Single(_logs.Entries, e => (string?)e.Fields["Route"] == "/slots");
        Assert.Equal(401, line.Fields["Status"]);
        Assert.Equal("-", line.Fields["KeyId"]);
        Assert.Equal(0, line.Fields["PromptTokens"]);
        Assert.Null(line.Fields["TtftMs"]);
        Assert.DoesNotContain(Key, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_probes_are_logged_at_debug_and_unknown_paths_are_not_echoed()
    {
        using (var health = await _server.Http.GetAsync(new Uri("health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/leaky-path-" + Key);
        request.Headers.Add("x-api-key", Key);
        using var unknown = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        Assert.Contains(_logs.Entries, e => (string?)e.Fields["Route"] == "/health" && e.Level == LogLevel.Debug);
        var line = Assert.Single(_logs.Entries, e => (int?)e.Fields["Status"] == 404);
        Assert.Equal("(unmatched)", line.Fields["Route"]);
        Assert.DoesNotContain(Key, line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_log_format_writes_the_access_line_as_one_object_with_its_fields()
    {
        var port = ServerProcess.FreePort();
        using var process = ServerProcess.Start(
            ["--model", TestModels.Synthetic, "--port", ServerProcess.Text(port), "--threads", "2", "--ctx-size", "512", "--log-format", "json"]);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } data) { lines.Enqueue(data); } };
        process.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await ServerProcess.WaitForHealthAsync(http);
            using var response = await http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), new StringContent(
                "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // The line is written as the request ends; the console logger writes it on its own thread.
            JsonElement? state = null;
            for (var attempt = 0; attempt < 200 && state is null; attempt++)
            {
                state = lines.Select(l => JsonDocument.Parse(l).RootElement)
                    .Where(e => e.GetProperty("Category").GetString() == "AbstractEndpoint.Host.Observability.AccessLogMiddleware")
                    .Select(e => (JsonElement?)e.GetProperty("State"))
                    .FirstOrDefault(s => s!.Value.GetProperty("Route").GetString() == "/v1/chat/completions");
                await Task.Delay(state is null ? 50 : 0);
            }

            Assert.NotNull(state);
            Assert.Equal(200, state.Value.GetProperty("Status").GetInt32());
            Assert.True(state.Value.GetProperty("GeneratedTokens").GetInt32() > 0);
            Assert.Equal("-", state.Value.GetProperty("KeyId").GetString());
            Assert.All(lines, l => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(l).RootElement.ValueKind));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
