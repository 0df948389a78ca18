using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// Two real servers: an upstream on stories260K with a Hermes template (so forced tool calls work), and a front
/// instance serving it as <c>--provider &lt;provider&gt; --base-url &lt;upstream&gt;/v1</c>. Skipped without ../shared.
/// </summary>
public abstract class FrontOverUpstreamFixture(string provider, string upstreamModel, string frontModel, int parallel) : IAsyncLifetime
{
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
            Alias = upstreamModel,
            Parallel = parallel,
            ContextSize = 4096,
            Threads = 2,
            ChatTemplate = HermesStoriesServerFixture.Template,
        }).ConfigureAwait(false);
        Front = await RunningServer.StartAsync(new EndpointOptions
        {
            Provider = provider,
            Model = upstreamModel,
            Alias = frontModel,
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
