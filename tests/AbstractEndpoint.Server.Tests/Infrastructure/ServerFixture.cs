using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>One real server shared by a collection of API tests.</summary>
public abstract class ServerFixture : IAsyncLifetime
{
    public RunningServer? Server { get; private set; }

    /// <summary>The served model id (set with --alias).</summary>
    public abstract string ModelId { get; }

    /// <summary>Tokens that end generation; tests ban them when they need an exact number of tokens.</summary>
    public abstract IReadOnlyList<int> EndTokens { get; }

    /// <summary><c>"logit_bias":{…}</c> banning <see cref="EndTokens"/>, for raw request bodies.</summary>
    public string NoEndBiasJson => "\"logit_bias\":{" + string.Join(",", EndTokens.Select(t => $"\"{t}\":-100")) + "}";

    /// <summary>Null when the model is not available here.</summary>
    protected abstract string? ModelPath { get; }

    protected abstract string MissingReason { get; }

    public async Task InitializeAsync()
    {
        if (ModelPath is not { } path)
        {
            return;
        }

        Server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = path,
            Alias = ModelId,
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
        Skip.If(Server is null, MissingReason);
        return Server!;
    }
}
