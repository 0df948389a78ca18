using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>The synthetic model served with <c>--strict-requests --strict-model-name</c>: the original's refusals.</summary>
public sealed class StrictServerFixture : IAsyncLifetime
{
    public const string ModelId = "tiny-strict";

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Alias = ModelId,
            Parallel = 2,
            ContextSize = 1024,
            Threads = 2,
            StrictRequests = true,
            StrictModelName = true,
        }).ConfigureAwait(false);

    public async Task DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);
}
