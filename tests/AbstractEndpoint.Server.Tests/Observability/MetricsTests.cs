using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Observability;

/// <summary><c>GET /metrics</c> on a real server with an API key: the format, the names routers read, and counters that move with traffic.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const string Key = "sk-metrics-test";
    private const int ContextSize = 1024;
    private const int Parallel = 2;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Parallel = Parallel,
            ContextSize = ContextSize,
            Threads = 2,
            ApiKey = Key,
            Metrics = true,
        });
        _server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Metrics_need_the_api_key()
    {
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        using var response = await anonymous.GetAsync(new Uri("metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Counters_move_with_traffic_and_gauges_stay_sane()
    {
        var before = await ScrapeAsync();
        using var whole = await _server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), Json(
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"count the stars\"}],\"max_tokens\":6,\"temperature\":0}"));
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var usage = JsonDocument.Parse(await whole.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var events = await SseClient.PostStreamAsync(_server,
            "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        var streamUsage = JsonDocument.Parse(events[^2]).RootElement.GetProperty("usage");
        var after = await ScrapeAsync();

        var prompt = usage.GetProperty("prompt_tokens").GetInt32() + streamUsage.GetProperty("prompt_tokens").GetInt32();
        var generated = usage.GetProperty("completion_tokens").GetInt32() + streamUsage.GetProperty("completion_tokens").GetInt32();
        var cached = usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32()
            + streamUsage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        Assert.Equal(prompt, Delta("vllm:prompt_tokens_total"));
        Assert.Equal(generated, Delta("vllm:generation_tokens_total"));
        Assert.Equal(generated, Delta("llamacpp:tokens_predicted_total"));
        Assert.Equal(prompt - cached, Delta("llamacpp:prompt_tokens_total"));
        Assert.Equal(2, Delta("vllm:request_success_total"));
        Assert.Equal(2, Delta("vllm:e2e_request_latency_seconds_count"));
        Assert.Equal(2, Delta("vllm:time_to_first_token_seconds_count"));
        Assert.True(Delta("vllm:inter_token_latency_seconds_count") >= 1, "several pieces of output, so at least one gap");
        Assert.True(Delta("llamacpp:prompt_seconds_total") > 0);
        Assert.True(after.Value("llamacpp:prompt_tokens_seconds") > 0);

        // Nothing is running now; the slots keep their prefixes, so the KV cache is in use but not over full.
        Assert.Equal(0, after.Value("vllm:num_requests_running"));
        Assert.Equal(0, after.Value("vllm:num_requests_waiting"));
        Assert.Equal(0, after.Value("llamacpp:requests_processing"));
        Assert.Equal(0, after.Value("llamacpp:requests_deferred"));
        var usagePerc = after.Value("vllm:kv_cache_usage_perc");
        Assert.InRange(usagePerc, 1.0 / ContextSize, 1.0);
        Assert.Equal(usagePerc, after.Value("llamacpp:kv_cache_usage_ratio"));
        Assert.Equal(usagePerc * ContextSize, after.Value("llamacpp:kv_cache_tokens"), 6);
        Assert.Equal(1, after.Value("vllm:cache_config_info", ("block_size", "1"), ("num_gpu_blocks", "1024")));
        Assert.All(after.Samples.Where(s => s.Name.StartsWith("vllm:", StringComparison.Ordinal)),
            s => Assert.Equal(TestModels.Synthetic, s.Labels["model_name"]));
        Assert.All(after.Samples.Where(s => s.Name.StartsWith("llamacpp:", StringComparison.Ordinal)), s => Assert.Empty(s.Labels));

        double Delta(string name) => after.Sum(name) - before.Sum(name);
    }

    [Fact]
    public async Task Text_completions_count_like_chat_one_generation_per_prompt()
    {
        var before = await ScrapeAsync();
        using var response = await _server.Http.PostAsync(new Uri("v1/completions", UriKind.Relative), Json(
            "{\"model\":\"\",\"prompt\":[\"once upon\",\"a time\"],\"max_tokens\":4,\"temperature\":0}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage");
        var after = await ScrapeAsync();

        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), Delta("vllm:prompt_tokens_total"));
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), Delta("vllm:generation_tokens_total"));
        Assert.Equal(2, Delta("vllm:request_success_total"));
        Assert.Equal(2, Delta("vllm:e2e_request_latency_seconds_count"));

        double Delta(string name) => after.Sum(name) - before.Sum(name);
    }

    [SkippableFact]
    public async Task The_exposition_passes_promtool_but_for_its_lint_against_colons()
    {
        // Traffic first, so histograms and the finish-reason counter have label sets to check.
        var events = await SseClient.PostStreamAsync(_server, "{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,\"stream\":true}");
        Assert.Equal("[DONE]", events[^1]);
        using var response = await _server.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();

        var promtool = FindOnPath("promtool");
        Skip.If(promtool is null, "promtool is not installed (Debian package 'prometheus'); the format is still checked by Counters_move_with_traffic_and_gauges_stay_sane");
        var start = new ProcessStartInfo(promtool!, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var complaints = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.Contains("should not contain ':'", StringComparison.Ordinal))
            .ToList();
        Assert.True(complaints.Count == 0, "promtool: " + output);
    }

    private async Task<PrometheusExposition> ScrapeAsync()
    {
        using var response = await _server.Http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
