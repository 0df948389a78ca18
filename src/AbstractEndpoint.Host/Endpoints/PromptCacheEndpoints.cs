using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.PromptCaching;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// AbstractCore's prompt-cache control plane at the root (<see cref="PromptCacheRoutes"/>), in its newest contract:
/// every handled outcome is HTTP 200 with <c>operation</c> and <c>capabilities</c>, a failure is
/// <c>{"supported":false,"operation","code","error","capabilities"}</c> with a code that says which rule failed and a
/// message that says why. Our own conventions stay: a malformed body is a 400 in our top-level OpenAI error envelope
/// (upstream answers FastAPI's 422 <c>{"detail":…}</c>); unknown top-level fields are ignored, as upstream, or
/// refused under <c>--strict-requests</c>. A backend without named caches answers <c>prompt_cache_unsupported</c>.
/// </summary>
internal static class PromptCacheEndpoints
{
    public static void MapPromptCacheEndpoints(this IEndpointRouteBuilder app)
    {
        // No cache lock and no engine work: the capabilities are fixed when the model loads.
        app.MapGet(PromptCacheRoutes.Capabilities, (ModelState state) =>
            Json(PromptCacheResponseWriter.Capabilities(Capabilities(state))));

        app.MapGet(PromptCacheRoutes.Stats, (HttpContext context, ModelState state) =>
            Caches(context, state) is { } caches
                ? Json(PromptCacheResponseWriter.Stats(caches.Stats(), caches.Capabilities))
                : Unsupported(PromptCacheOperations.Stats, PromptCacheMessages.StatsUnsupported));

        MapOk(app, PromptCacheRoutes.Set, PromptCacheOperations.Set, PromptCacheRequestParser.ParseSet, static (caches, request) => caches.Set(request));
        MapOk(app, PromptCacheRoutes.Update, PromptCacheOperations.Update, PromptCacheRequestParser.ParseUpdate, static (caches, request) => caches.Update(request));
        MapOk(app, PromptCacheRoutes.Fork, PromptCacheOperations.Fork, PromptCacheRequestParser.ParseFork, static (caches, request) => caches.Fork(request));
        MapOk(app, PromptCacheRoutes.Clear, PromptCacheOperations.Clear, PromptCacheRequestParser.ParseClear, static (caches, request) => caches.Clear(request));

        app.MapPost(PromptCacheRoutes.PrepareModules, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var caches = Caches(context, state);
            return Coded(PromptCacheOperations.PrepareModules, caches, () =>
            {
                // A malformed body is a 400 whatever the backend.
                var request = PromptCacheRequestParser.ParsePrepareModules(body, options.StrictRequests);
                return caches is null
                    ? UnsupportedBody(PromptCacheOperations.PrepareModules, PromptCacheMessages.PrepareModulesUnsupported)
                    : PromptCacheResponseWriter.PrepareModules(caches.PrepareModules(request), caches.Capabilities);
            });
        });
    }

    /// <summary>set, update, fork and clear: <c>{"supported":true,"operation","ok","capabilities"}</c>, or the coded failure.</summary>
    private static void MapOk<TRequest>(
        IEndpointRouteBuilder app,
        string route,
        string operation,
        Func<ReadOnlyMemory<byte>, bool, TRequest> parse,
        Func<IPromptCacheControl, TRequest, bool> run) =>
        app.MapPost(route, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var caches = Caches(context, state);
            return Coded(operation, caches, () =>
            {
                // A malformed body is a 400 whatever the backend.
                var request = parse(body, options.StrictRequests);
                return caches is null
                    ? UnsupportedBody(operation, PromptCacheMessages.ControlPlaneUnsupported)
                    : PromptCacheResponseWriter.Ok(operation, run(caches, request), caches.Capabilities);
            });
        });

    /// <summary>Runs an operation; a coded failure (from the body's <c>thinking</c> or the operation) is its envelope.</summary>
    private static IResult Coded(string operation, IPromptCacheControl? caches, Func<byte[]> run)
    {
        try
        {
            return Json(run());
        }
        catch (PromptCacheOperationException ex)
        {
            return Json(PromptCacheResponseWriter.Error(operation, ex.Code, ex.Message, caches?.Capabilities ?? PromptCacheCapabilities.None));
        }
    }

    /// <summary>
    /// The model's named caches as the request's API key sees them (only its own; all of them without keys); a 503
    /// while it loads; null when its backend has none.
    /// </summary>
    private static IPromptCacheControl? Caches(HttpContext context, ModelState state) =>
        state.RequireModel().PromptCaches is { } caches && PromptCacheKeyScope.Of(context) is { } scope
            ? new KeyScopedPromptCacheControl(caches, scope)
            : state.RequireModel().PromptCaches;

    private static PromptCacheCapabilities Capabilities(ModelState state) =>
        state.RequireModel().PromptCaches?.Capabilities ?? PromptCacheCapabilities.None;

    private static IResult Unsupported(string operation, string error) => Json(UnsupportedBody(operation, error));

    private static byte[] UnsupportedBody(string operation, string error) =>
        PromptCacheResponseWriter.Error(operation, PromptCacheErrorCodes.Unsupported, error, PromptCacheCapabilities.None);

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");
}
