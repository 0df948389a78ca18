using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>One server on stories260K (ChatML, 4 slots) shared by the API tests; null when the model is absent.</summary>
public sealed class StoriesServerFixture : IAsyncLifetime
{
    public RunningServer? Server { get; private set; }

    /// <summary>The served model id (set with --alias).</summary>
    public string ModelId => "stories260K";

    public async Task InitializeAsync()
    {
        if (TestModels.Stories260K is not { } path)
        {
            return;
        }

        Server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = path,
            Alias = ModelId,
            ChatTemplate = "chatml",
            Parallel = 4,
            ContextSize = 2048,
            Threads = 2,
        }).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The server, or a skip naming what is missing.</summary>
    public RunningServer Require()
    {
        Skip.If(Server is null, "needs ../shared/models/stories260K.gguf; " + TestSupport.SharedAssets.MissingReason);
        return Server!;
    }
}

[CollectionDefinition(Name)]
public sealed class StoriesServerCollection : ICollectionFixture<StoriesServerFixture>
{
    public const string Name = "stories260K server";
}
