using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AbstractEndpoint.Server.Tests.Lifecycle;

/// <summary>The port opens before the model is loaded; requests meanwhile get 503, then the model serves.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Health_says_loading_until_the_model_is_ready()
    {
        var gate = new ManualStartupGate();
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1 },
            waitUntilReady: false,
            services => services.AddSingleton<IStartupGate>(gate));

        using (var loading = await server.Http.GetAsync(new Uri("health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, loading.StatusCode);
            Assert.Contains("\"status\":\"loading\"", await loading.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var content = new StringContent("{\"model\":\"\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", Encoding.UTF8, "application/json"))
        using (var early = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.NotNull(early.Headers.RetryAfter);
            Assert.Contains("model_not_ready", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        gate.Open();
        await server.WaitUntilReadyAsync();
        using var ready = await server.Http.GetAsync(new Uri("health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_warm_up_runs_before_ready_and_leaves_no_cells_behind(bool noWarmup)
    {
        var logs = new CapturedLogs("AbstractEndpoint.Host.Hosting.ModelLoadingService");
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 1, Parallel = 2, NoWarmup = noWarmup }, configureServices: logs.AddTo);

        // Ready means warmed (the log says so before /health turns healthy), unless told not to.
        Assert.Equal(noWarmup ? 0 : 1, logs.Entries.Count(e => e.Message.StartsWith("warmed up in ", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Entries, e => e.Message.StartsWith("warm-up skipped", StringComparison.Ordinal));

        // Either way the server starts with an empty KV cache: no slot holds cells, and the warm-up's very turn is
        // computed afresh.
        using var slots = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("slots", UriKind.Relative)));
        Assert.All(slots.RootElement.EnumerateArray(), s => Assert.Equal(0, s.GetProperty("cached_tokens").GetInt32()));
        const string body = """
            {"model":"","messages":[{"role":"user","content":"Hello"}],"max_tokens":1,"temperature":0}
            """;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var reply = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        using var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
        var usage = json.RootElement.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(0, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    private sealed class ManualStartupGate : IStartupGate
    {
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _opened.TrySetResult();

        public Task WaitAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(cancellationToken);
    }
}
