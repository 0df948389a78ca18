using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Gguf.Synthetic;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// Three servers on the synthetic BERT embedding model's weights: the file that names mean pooling, the file that
/// names CLS pooling, and the mean file with <c>--pooling cls</c>, so a test can tell the pooling in use.
/// </summary>
public sealed class BertServersFixture : IAsyncLifetime
{
    public const string ModelId = "tiny-bert";

    public RunningServer Mean { get; private set; } = null!;

    public RunningServer Cls { get; private set; } = null!;

    public RunningServer MeanOverriddenToCls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mean = await StartAsync(BertPooling.Mean, pooling: null);
        Cls = await StartAsync(BertPooling.Cls, pooling: null);
        MeanOverriddenToCls = await StartAsync(BertPooling.Mean, EmbeddingPooling.Cls);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Mean, Cls, MeanOverriddenToCls })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static Task<RunningServer> StartAsync(BertPooling file, EmbeddingPooling? pooling) =>
        RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.SyntheticBert(file),
            Alias = ModelId,
            Parallel = 1,
            ContextSize = 512,
            Threads = 2,
            Pooling = pooling,
        });
}
