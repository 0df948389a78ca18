using AbstractEndpoint.Bench.Commands;
using AbstractEndpoint.Bench.Load;

namespace AbstractEndpoint.Bench.Tests;

public sealed class LoadTestRunnerTests
{
    private static LoadTestOptions Options(params LoadTarget[] targets) => new()
    {
        Targets = targets,
        ConcurrencyLevels = [1, 2],
        PromptTokens = 20,
        MaxTokens = 6,
        RequestsPerLevel = 4,
        WarmupRequests = 1,
        SuppressedTokenIds = [2, 260],
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Streaming_run_measures_first_token_inter_token_latency_and_usage_tokens()
    {
        await using var server = new FakeChatServer
        {
            FirstTokenDelay = TimeSpan.FromMilliseconds(60),
            InterTokenDelay = TimeSpan.FromMilliseconds(15),
        };

        var report = await LoadCommand.RunAsync(Options(new LoadTarget("A", server.BaseUrl, null)), TextWriter.Null, default);

        Assert.Equal("fake-model", report.Targets[0].Model);
        Assert.Equal([1, 2], report.Levels.Select(l => l.Concurrency));
        foreach (var level in report.Levels)
        {
            Assert.Equal(0, level.Errors);
            Assert.Equal(4, level.Requests);
            Assert.Equal(0, level.ShortResponses);
            Assert.Equal(4 * 6, level.CompletionTokens);
            Assert.Equal(1.0, level.UsageCoverage);
            Assert.Equal(11, level.MeanPromptTokens);
            // The server sleeps before every token and a sleep never ends early, so these lower bounds hold however
            // loaded the machine is. A client that reads late may get two chunks in one read (a gap near zero), so
            // the gap bound is on the largest gaps, not the median.
            Assert.InRange(level.TtftP50Ms!.Value, 55, 2000);
            Assert.InRange(level.ItlP50Ms!.Value, 0, 500);
            Assert.InRange(level.ItlP99Ms!.Value, 12, 2000);
            Assert.True(level.StreamTokensPerSecond > 0);
            Assert.True(level.AggregateTokensPerSecond > 0);
        }

        // Warm-up (1, at most 8 tokens) plus 2 levels x 4 measured requests.
        var requests = server.Requests;
        Assert.Equal(9, requests.Count);
        var body = requests[^1].RootElement;
        Assert.Equal("fake-model", body.GetProperty("model").GetString());
        Assert.Equal(6, body.GetProperty("max_tokens").GetInt32());
        Assert.True(body.GetProperty("stream").GetBoolean());
        Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("2").GetInt32());
        Assert.Equal(-100, body.GetProperty("logit_bias").GetProperty("260").GetInt32());
        Assert.Equal(20, body.GetProperty("messages")[0].GetProperty("content").GetString()!.Split(' ').Length);
    }

    [Fact]
    public async Task Without_usage_tokens_are_counted_from_content_chunks()
    {
        await using var server = new FakeChatServer { SendUsage = false, FirstTokenDelay = TimeSpan.Zero, InterTokenDelay = TimeSpan.Zero };

        var report = await LoadCommand.RunAsync(
            Options(new LoadTarget("A", server.BaseUrl, "named")) with { ConcurrencyLevels = [3] }, TextWriter.Null, default);

        var level = Assert.Single(report.Levels);
        Assert.Equal(4 * 6, level.CompletionTokens);
        Assert.Equal(0.0, level.UsageCoverage);
        Assert.Null(level.MeanPromptTokens);
        Assert.Equal("named", server.Requests[0].RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Non_streaming_requests_use_the_whole_response_time_as_first_token_time()
    {
        await using var server = new FakeChatServer { FirstTokenDelay = TimeSpan.FromMilliseconds(30), InterTokenDelay = TimeSpan.FromMilliseconds(5) };

        var report = await LoadCommand.RunAsync(
            Options(new LoadTarget("A", server.BaseUrl, null)) with { Stream = false, ConcurrencyLevels = [1] }, TextWriter.Null, default);

        var level = Assert.Single(report.Levels);
        Assert.Equal(24, level.CompletionTokens);
        Assert.InRange(level.TtftP50Ms!.Value, 50, 2000);
        Assert.Null(level.ItlP50Ms);
        Assert.False(server.Requests[0].RootElement.TryGetProperty("stream_options", out _));
    }

    [Fact]
    public async Task Connection_close_asks_for_one_connection_per_request()
    {
        await using var server = new FakeChatServer();
        var options = Options(new LoadTarget("A", server.BaseUrl, "m")) with { ConcurrencyLevels = [2], WarmupRequests = 0 };

        await LoadCommand.RunAsync(options, TextWriter.Null, default);
        Assert.Equal(0, server.CloseRequests);

        var report = await LoadCommand.RunAsync(options with { ConnectionClose = true }, TextWriter.Null, default);
        Assert.Equal(0, Assert.Single(report.Levels).Errors);
        Assert.Equal(4, server.CloseRequests);
    }

    [Fact]
    public void An_error_is_described_with_its_causes()
    {
        var error = new HttpRequestException("An error occurred while sending the request.",
            new IOException("The response ended prematurely."));

        Assert.Equal(
            "HttpRequestException: An error occurred while sending the request. <- IOException: The response ended prematurely.",
            ChatCompletionClient.Describe(error));
    }

    [Fact]
    public async Task Failing_requests_are_counted_as_errors_with_the_reason()
    {
        await using var server = new FakeChatServer { StatusCode = 503 };

        var report = await LoadCommand.RunAsync(
            Options(new LoadTarget("A", server.BaseUrl, "m")) with { ConcurrencyLevels = [2], WarmupRequests = 0 }, TextWriter.Null, default);

        var level = Assert.Single(report.Levels);
        Assert.Equal(4, level.Errors);
        Assert.Equal(0, level.CompletionTokens);
        Assert.Contains("HTTP 503", level.FirstError, StringComparison.Ordinal);
        Assert.Contains("told to fail", level.FirstError, StringComparison.Ordinal);
        Assert.Contains("first error", MarkdownReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_targets_alternate_per_round_and_report_b_over_a()
    {
        // Inter-token gaps far apart, so which target is slower never depends on timer slack.
        await using var fast = new FakeChatServer { FirstTokenDelay = TimeSpan.FromMilliseconds(20), InterTokenDelay = TimeSpan.FromMilliseconds(10) };
        await using var slow = new FakeChatServer { FirstTokenDelay = TimeSpan.FromMilliseconds(20), InterTokenDelay = TimeSpan.FromMilliseconds(80) };
        var progress = new StringWriter();

        var report = await LoadCommand.RunAsync(
            Options(new LoadTarget("A", fast.BaseUrl, null), new LoadTarget("B", slow.BaseUrl, null)) with
            {
                ConcurrencyLevels = [1],
                Rounds = 2,
                RequestsPerLevel = 2,
            },
            progress,
            default);

        Assert.Equal(["A", "B", "A", "B"], report.Runs.Select(r => r.Target));
        Assert.Equal([1, 1, 2, 2], report.Runs.Select(r => r.Round));
        var comparison = Assert.Single(report.Comparisons);
        // The ratios are B's figures over A's, exactly; wall-clock bounds would be flaky on a loaded machine.
        var a = report.Levels.Single(l => l.Target == "A");
        var b = report.Levels.Single(l => l.Target == "B");
        Assert.Equal(b.ItlP50Ms!.Value / a.ItlP50Ms!.Value, comparison.ItlP50!.Value, 9);
        Assert.Equal(b.AggregateTokensPerSecond / a.AggregateTokensPerSecond, comparison.AggregateTokensPerSecond!.Value, 9);
        // A sleep never ends early, so B's 80 ms gaps are always longer than A's 10 ms ones, however slow the machine.
        Assert.True(comparison.ItlP50 > 1, $"B's inter-token latency should exceed A's: ratio {comparison.ItlP50}");
        var markdown = MarkdownReport.Render(report);
        Assert.Contains("| conc | TTFT p50 | TTFT p99 | ITL p50 |", markdown, StringComparison.Ordinal);
        Assert.Contains("[B] concurrency 1, round 2", progress.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"comparisons\"", LoadReportJson.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_stream_times_out_as_an_error()
    {
        await using var server = new FakeChatServer { FirstTokenDelay = TimeSpan.Zero, InterTokenDelay = TimeSpan.FromSeconds(20) };

        var report = await LoadCommand.RunAsync(
            Options(new LoadTarget("A", server.BaseUrl, "m")) with
            {
                ConcurrencyLevels = [1],
                RequestsPerLevel = 1,
                WarmupRequests = 0,
                RequestTimeout = TimeSpan.FromMilliseconds(300),
            },
            TextWriter.Null,
            default);

        var level = Assert.Single(report.Levels);
        Assert.Equal(1, level.Errors);
        Assert.Contains("timed out", level.FirstError, StringComparison.Ordinal);
        Assert.InRange(level.WallSeconds, 0.2, 5);
    }
}
