using System.Net;
using AbstractEndpoint.Host.Endpoints;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Observability;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Responses;
using AbstractEndpoint.Host.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>Composition root: builds the ASP.NET Core app for one model and runs it.</summary>
public static partial class EndpointServer
{
    /// <summary>Runs until shutdown; returns the process exit code (1 when the model failed to load).</summary>
    public static async Task<int> RunAsync(EndpointOptions options, CancellationToken cancellationToken)
    {
        await using var app = Build(options);
        var state = app.Services.GetRequiredService<ModelState>();
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return state.Status == ModelStatus.Failed ? 1 : 0;
    }

    /// <summary>Builds the app; the model loads in the background once it starts.</summary>
    public static WebApplication Build(EndpointOptions options) => Build(options, configureServices: null);

    /// <summary>Builds the app with extra service registrations (tests).</summary>
    internal static WebApplication Build(EndpointOptions options, Action<IServiceCollection>? configureServices)
    {
        // Our settings are the only configuration: nothing from the working directory (appsettings.json, whose Kestrel
        // section would override --host/--port), no ASPNETCORE_/DOTNET_ variables (ASPNETCORE_URLS), no arguments.
        // The content root is the install folder, so the builder has no reason to look at the caller's directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(); // Holds what UseUrls sets below, and nothing else.
        var certificate = TlsCertificate.From(options);
        builder.WebHost.UseUrls($"{(certificate is null ? "http" : "https")}://{FormatHost(options.Host)}:{options.Port}");
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration(); // The slim builder leaves HTTPS out until asked.
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }

            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            // Slow clients (slowloris, a reader that stalls a stream): Kestrel's own defaults, set here so that they
            // are visible and documented. A body must arrive, and a reply be read, at 240 bytes/s after 5 s of grace;
            // headers within 30 s. A stalled reader's stream is closed and its generation cancelled like a disconnect.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Host.ConfigureHostOptions(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        ConfigureLogging(builder.Logging, options.LogLevel, options.LogFormat);

        builder.Services.AddSingleton(options);
        var apiKeys = ApiKeySet.From(options);
        builder.Services.AddSingleton(apiKeys);
        builder.Services.AddSingleton(new PromptCacheDefaultKeys());
        builder.Services.AddSingleton(new WarmupCredential());
        var corsOrigins = CorsSetup.Origins(options);
        if (corsOrigins is not null)
        {
            builder.Services.AddEndpointCors(options, corsOrigins);
        }
        // A factory registration, so the container disposes it (and its meter) with the app.
        var state = new ModelState(options.ModelId, RequestLimits.From(options));
        builder.Services.AddSingleton(_ => state);
        var responses = new ResponseStore(options, TimeProvider.System);
        builder.Services.AddSingleton(_ => responses); // Made by a factory, so the container disposes it (its sweep timer).
        builder.Services.AddSingleton(new ResponseConversations(responses));
        if (options.Metrics)
        {
            builder.Services.AddSingleton(_ => new MetricsCollector(state.Metrics, options.ModelId));
        }

        builder.Services.AddHostedService<ModelLoadingService>();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseMiddleware<AccessLogMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        if (corsOrigins is not null)
        {
            // Before the key check: preflights end here, and a 401 carries CORS headers so the browser app can read it.
            app.UseCors(CorsSetup.PolicyName);
        }

        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapHealthEndpoints();
        app.MapModelsEndpoints();
        app.MapChatCompletionsEndpoints();
        app.MapCompletionsEndpoints();
        app.MapEmbeddingsEndpoints();
        app.MapAnthropicMessagesEndpoints();
        app.MapResponsesEndpoints();
        app.MapSlotsEndpoints();
        app.MapTemplateEndpoints();
        app.MapPromptCacheEndpoints();
        app.MapStatusEndpoints();
        app.MapTokenizeEndpoints();
        app.MapPropsEndpoints();
        app.MapInputTokensEndpoints();
        if (options.Metrics)
        {
            // Resolved now, so the listener sees the instruments before the first request is measured.
            _ = app.Services.GetRequiredService<MetricsCollector>();
            app.MapMetricsEndpoints();
        }
        if (!options.NoWebUi)
        {
            app.MapWebUiEndpoints();
        }

        app.MapFallback(ErrorResponses.NotFoundAsync);

        if (apiKeys.IsEmpty && !IsLoopback(options.Host))
        {
            LogPublicBind(app.Logger, options.Host);
        }

        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, string level, string format)
    {
        logging.ClearProviders();
        if (format == "json")
        {
            // One object a line, the message's fields as properties ("State"), for log collectors.
            logging.AddJsonConsole(console =>
            {
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                console.UseUtcTimestamp = true;
                console.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }

        logging.SetMinimumLevel(level.ToLowerInvariant() switch
        {
            "debug" or "trace" => LogLevel.Debug,
            "warning" or "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }

    private static string FormatHost(string host) =>
        host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "binding to {Host}: the server is reachable from other machines and has no authentication (--api-key sets keys)")]
    private static partial void LogPublicBind(ILogger logger, string host);
}
