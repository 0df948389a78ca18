using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.PromptCaching;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// The original's prompt-cache control plane at the root (<see cref="PromptCacheRoutes"/>), with its bodies, defaults
/// and HTTP 200 envelopes (<c>{"supported":true,"ok":…}</c>); a malformed body is a 400 OpenAI error (the original
/// answered 422). A backend without named caches answers the original's <c>{"supported":false,"error":…}</c>.
/// Unknown top-level fields are ignored, as by the original, or refused under <c>--strict-requests</c>.
/// </summary>
internal static class PromptCacheEndpoints
{
    public static void MapPromptCacheEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(PromptCacheRoutes.Stats, (ModelState state) =>
            Caches(state) is { } caches
                ? Json(PromptCacheResponseWriter.Stats(caches.Stats()))
                : Unsupported(PromptCacheMessages.StatsUnsupported));

        app.MapPost(PromptCacheRoutes.Set, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var request = PromptCacheRequestParser.ParseSet(await RequestBodyReader.ReadAsync(context).ConfigureAwait(false), options.StrictRequests);
            return Ok(state, caches => caches.Set(request));
        });

        app.MapPost(PromptCacheRoutes.Update, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var request = PromptCacheRequestParser.ParseUpdate(await RequestBodyReader.ReadAsync(context).ConfigureAwait(false), options.StrictRequests);
            return Ok(state, caches => caches.Update(request));
        });

        app.MapPost(PromptCacheRoutes.Fork, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var request = PromptCacheRequestParser.ParseFork(await RequestBodyReader.ReadAsync(context).ConfigureAwait(false), options.StrictRequests);
            return Ok(state, caches => caches.Fork(request));
        });

        app.MapPost(PromptCacheRoutes.Clear, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var request = PromptCacheRequestParser.ParseClear(await RequestBodyReader.ReadAsync(context).ConfigureAwait(false), options.StrictRequests);
            return Ok(state, caches => caches.Clear(request));
        });

        app.MapPost(PromptCacheRoutes.PrepareModules, async (HttpContext context, ModelState state, EndpointOptions options) =>
        {
            var request = PromptCacheRequestParser.ParsePrepareModules(await RequestBodyReader.ReadAsync(context).ConfigureAwait(false), options.StrictRequests);
            return Caches(state) is { } caches
                ? Json(PromptCacheResponseWriter.PrepareModules(caches.PrepareModules(request)))
                : Unsupported(PromptCacheMessages.PrepareModulesUnsupported);
        });
    }

    /// <summary>The model's named caches (a 503 while it loads); null when its backend has none.</summary>
    private static IPromptCacheControl? Caches(ModelState state) => state.RequireModel().PromptCaches;

    private static IResult Ok(ModelState state, Func<IPromptCacheControl, bool> operation) =>
        Caches(state) is { } caches
            ? Json(PromptCacheResponseWriter.Ok(operation(caches)))
            : Unsupported(PromptCacheMessages.ControlPlaneUnsupported);

    private static IResult Unsupported(string error) => Json(PromptCacheResponseWriter.Unsupported(error));

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");
}
