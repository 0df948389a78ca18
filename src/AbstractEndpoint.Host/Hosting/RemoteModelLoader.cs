using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Providers;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// Serves a remote provider's model: resolves its base URL and credential, publishes the backend (chat and status,
/// completions and embeddings when the provider's API has them; no local prompt rendering; the keyed prompt-cache
/// control plane), and keeps probing the upstream so <c>/health</c> says when it is down.
/// </summary>
internal sealed partial class RemoteModelLoader : IAsyncDisposable
{
    private readonly RemoteChatBackend _backend;
    private readonly Task _monitor;
    private readonly ILogger _logger;

    private RemoteModelLoader(RemoteChatBackend backend, ILogger logger, CancellationToken stopping)
    {
        _backend = backend;
        _logger = logger;
        _monitor = backend.MonitorAsync(
            problem =>
            {
                if (problem is null)
                {
                    LogReachable(backend.Settings.BaseUrl);
                }
                else
                {
                    LogUnreachable(problem);
                }
            },
            stopping);
    }

    public static RemoteModelLoader Start(RemoteProvider provider, EndpointOptions options, ModelState state, ILogger logger, CancellationToken stopping)
    {
        var settings = UpstreamSettingsResolver.Resolve(
            provider, options.Model, options.Alias, options.BaseUrl, options.UpstreamApiKey, Environment.GetEnvironmentVariable);
        var backend = new RemoteChatBackend(settings);
        state.SetReady(new LoadedModel(backend, Renderer: null, PromptCaches: backend.PromptCaches, Status: backend)
        {
            Completions = backend.Completions,
            Embeddings = backend.Embeddings,
        });
        var loader = new RemoteModelLoader(backend, logger, stopping);
        loader.LogServing(settings.ModelId, settings.Model, provider.Name, settings.BaseUrl, settings.ApiKey is not null);
        return loader;
    }

    public async ValueTask DisposeAsync()
    {
        await _monitor.ConfigureAwait(false);
        _backend.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "model '{ModelId}' served by the remote provider {Provider}: upstream model '{Model}' at {BaseUrl} (credential set: {HasKey})")]
    private partial void LogServing(string modelId, string model, string provider, Uri baseUrl, bool hasKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "upstream {BaseUrl} is reachable")]
    private partial void LogReachable(Uri baseUrl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem}")]
    private partial void LogUnreachable(string problem);
}
