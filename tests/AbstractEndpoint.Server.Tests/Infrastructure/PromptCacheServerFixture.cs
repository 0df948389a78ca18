using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// One real server (synthetic model, two slots, a 1,024-token context) shared by the control-plane contract tests;
/// each test uses keys of its own, so they do not see each other's caches.
/// </summary>
public sealed class PromptCacheServerFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Threads = 2,
            Parallel = 2,
            ContextSize = 1024,
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
