using System.Net;
using System.Text;
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

    private sealed class ManualStartupGate : IStartupGate
    {
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _opened.TrySetResult();

        public Task WaitAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(cancellationToken);
    }
}
