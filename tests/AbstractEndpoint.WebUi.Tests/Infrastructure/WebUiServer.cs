using System.Net.Http.Json;
using System.Text.Json;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace AbstractEndpoint.WebUi.Tests.Infrastructure;

/// <summary>The real server (Kestrel on 127.0.0.1, a free port, llama.cpp on stories260K), started in-process.</summary>
public sealed class WebUiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebUiServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The tiny trained story model from ../shared (null when shared/ is absent).</summary>
    public static string? ModelPath => SharedAssets.File("models", "stories260K.gguf");

    public static string MissingModelReason => "needs ../shared/models/stories260K.gguf; " + SharedAssets.MissingReason;

    /// <summary>The server's context: room for the stop test's long reply, which must outlast a fast machine.</summary>
    public const int ContextSize = 4096;

    /// <summary>stories260K's end-of-sequence token: banning it makes a reply exactly max_tokens long.</summary>
    public const int EndToken = 2;

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Starts a server on stories260K and waits until the model is loaded.</summary>
    public static async Task<WebUiServer> StartAsync(bool noWebUi = false)
    {
        var options = new EndpointOptions
        {
            Model = ModelPath ?? throw new InvalidOperationException(MissingModelReason),
            Alias = "stories260K",
            Host = "127.0.0.1",
            Port = 0,
            LogLevel = "warning",
            Parallel = 2,
            ContextSize = ContextSize,
            Threads = 1,
            NoWebUi = noWebUi,
        };
        var app = EndpointServer.Build(options);
        await app.StartAsync().ConfigureAwait(false);
        var server = new WebUiServer(app, new Uri(app.Urls.First() + "/"));
        await server.WaitUntilReadyAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>The server's own status (<c>GET /status</c>).</summary>
    public async Task<JsonElement> StatusAsync()
    {
        using var response = await Http.GetAsync(new Uri("status", UriKind.Relative)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
    }

    /// <summary>The slot states <c>GET /slots</c> reports.</summary>
    public async Task<IReadOnlyList<string>> SlotStatesAsync()
    {
        var slots = await Http.GetFromJsonAsync<JsonElement>(new Uri("slots", UriKind.Relative)).ConfigureAwait(false);
        return [.. slots.EnumerateArray().Select(s => s.GetProperty("state").GetString()!)];
    }

    /// <summary>A control-plane call (<c>/acore/prompt_cache/*</c>); returns its JSON reply.</summary>
    public async Task<JsonElement> PromptCacheAsync(string operation, object body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri("acore/prompt_cache/" + operation, UriKind.Relative), body).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> PromptCacheKeysAsync()
    {
        var stats = await Http.GetFromJsonAsync<JsonElement>(new Uri("acore/prompt_cache/stats", UriKind.Relative)).ConfigureAwait(false);
        return [.. stats.GetProperty("stats").GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var status = await StatusAsync().ConfigureAwait(false);
            switch (status.GetProperty("status").GetString())
            {
                case "ready":
                    return;
                case "failed":
                    throw new InvalidOperationException("The model failed to load: " + status.GetProperty("error").GetString());
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        throw new TimeoutException("The server did not become ready within 60 s.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
