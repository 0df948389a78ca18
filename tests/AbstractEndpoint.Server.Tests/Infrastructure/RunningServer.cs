using System.ClientModel;
using System.Net.Http.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Infrastructure;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, a free port, the real llama.cpp engine) started in-process, the way
/// <c>abstractcore-endpoint</c> starts it.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, Uri baseAddress, HttpMessageHandler? handler)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    internal IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server and, unless told otherwise, waits until the model is loaded. <paramref name="handler"/> is the
    /// client's handler (HTTPS tests trust their own certificate with it).
    /// </summary>
    internal static async Task<RunningServer> StartAsync(
        EndpointOptions options, bool waitUntilReady = true, Action<IServiceCollection>? configureServices = null,
        HttpMessageHandler? handler = null)
    {
        var app = EndpointServer.Build(options with { Host = "127.0.0.1", Port = 0, LogLevel = "warning" }, configureServices);
        await app.StartAsync().ConfigureAwait(false);
        var server = new RunningServer(app, new Uri(app.Urls.First() + "/"), handler);
        if (waitUntilReady)
        {
            await server.WaitUntilReadyAsync().ConfigureAwait(false);
        }

        return server;
    }

    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri("health", UriKind.Relative)).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var body = await response.Content.ReadFromJsonAsync<HealthReply>().ConfigureAwait(false);
            if (body?.Status == "error")
            {
                throw new InvalidOperationException("The model failed to load: " + body.Error);
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException("The server did not become healthy within 60 s.");
    }

    /// <summary>The official OpenAI .NET client pointed at this server.</summary>
    public ChatClient ChatClient(string model) =>
        new(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(BaseAddress, "v1") });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record HealthReply(
        [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string? Error);
}
