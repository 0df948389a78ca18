using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// Two real servers: an upstream on stories260K with a Hermes template (so forced tool calls work), and a front
/// instance serving it as <c>--provider openai-compatible --base-url &lt;upstream&gt;/v1</c>. Skipped without ../shared.
/// </summary>
public sealed class RemoteFrontFixture : IAsyncLifetime
{
    public const string UpstreamModel = "stories260K-upstream";

    public const string FrontModel = "stories260K-remote";

    public RunningServer? Upstream { get; private set; }

    public RunningServer? Front { get; private set; }

    public async Task InitializeAsync()
    {
        if (TestModels.Stories260K is not { } path)
        {
            return;
        }

        Upstream = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = path,
            Alias = UpstreamModel,
            Parallel = 4,
            ContextSize = 4096,
            Threads = 2,
            ChatTemplate = HermesStoriesServerFixture.Template,
        }).ConfigureAwait(false);
        Front = await RunningServer.StartAsync(new EndpointOptions
        {
            Provider = "openai-compatible",
            Model = UpstreamModel,
            Alias = FrontModel,
            BaseUrl = new Uri(Upstream.BaseAddress, "v1").AbsoluteUri,
            UpstreamApiKey = "sk-front-to-upstream",
        }).ConfigureAwait(false);
    }

    public async Task DisposeAsync()
    {
        if (Front is not null)
        {
            await Front.DisposeAsync().ConfigureAwait(false);
        }

        if (Upstream is not null)
        {
            await Upstream.DisposeAsync().ConfigureAwait(false);
        }
    }

    public (RunningServer Front, RunningServer Upstream) Require()
    {
        Skip.If(Front is null, "needs ../shared/models/stories260K.gguf; " + TestSupport.SharedAssets.MissingReason);
        return (Front!, Upstream!);
    }
}

[CollectionDefinition(Name)]
public sealed class RemoteFrontCollection : ICollectionFixture<RemoteFrontFixture>
{
    public const string Name = "a front server over a stories260K upstream";
}
