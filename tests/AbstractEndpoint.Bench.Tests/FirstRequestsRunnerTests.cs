using AbstractEndpoint.Bench.Load;

namespace AbstractEndpoint.Bench.Tests;

public sealed class FirstRequestsRunnerTests
{
    [Fact]
    public async Task Targets_take_turns_with_one_token_requests_and_the_table_compares_with_the_first()
    {
        await using var a = new FakeChatServer { FirstTokenDelay = TimeSpan.FromMilliseconds(5) };
        await using var b = new FakeChatServer { FirstTokenDelay = TimeSpan.FromMilliseconds(5) };
        var options = new LoadTestOptions
        {
            Targets = [new LoadTarget("A", a.BaseUrl, null), new LoadTarget("B", b.BaseUrl, null)],
            ConcurrencyLevels = [1],
            SuppressedTokenIds = [2],
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        using var http = new HttpClient();
        var client = new ChatCompletionClient(http, options);
        var targets = new List<(LoadTarget, string)>();
        foreach (var target in options.Targets)
        {
            targets.Add((target, await client.ResolveModelAsync(target, default)));
        }

        var summaries = await FirstRequestsRunner.RunAsync(client, http, targets, 5, default);

        Assert.Equal(["A", "B"], summaries.Select(s => s.Target));
        foreach (var (summary, server) in summaries.Zip([a, b]))
        {
            Assert.Equal(0, summary.Errors);
            Assert.Equal(5, summary.DurationsMs.Count);
            Assert.All(summary.DurationsMs, d => Assert.True(d > 0));
            Assert.NotNull(summary.LaterP50Ms);
            var chats = server.Requests.Where(r => r.RootElement.TryGetProperty("messages", out _)).ToList();
            Assert.Equal(5, chats.Count);
            Assert.All(chats, r => Assert.Equal(1, r.RootElement.GetProperty("max_tokens").GetInt32()));
        }

        var table = FirstRequestsRunner.Render(summaries);
        var anchorRow = table.Split('\n').Single(line => line.StartsWith("| A |", StringComparison.Ordinal));
        Assert.EndsWith("| 0.0 | 0.0 |", anchorRow.TrimEnd());
        Assert.Contains("| B | 0 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_request_leaves_a_gap_and_is_counted()
    {
        var summary = FirstRequestsSummary.From("A",
        [
            new RequestMeasurement { Duration = 0.5 },
            new RequestMeasurement { Error = "HTTP 500", Duration = 0.1 },
            new RequestMeasurement { Duration = 0.004 },
            new RequestMeasurement { Duration = 0.003 },
            new RequestMeasurement { Duration = 0.005 },
        ]);

        Assert.Equal(1, summary.Errors);
        Assert.Equal(500, summary.At(0)!.Value, 6);
        Assert.Null(summary.At(1));
        Assert.Null(summary.At(9));
        Assert.Equal(4, summary.LaterP50Ms!.Value, 6);
        Assert.Equal(5, summary.LaterMaxMs!.Value, 6);
    }
}
