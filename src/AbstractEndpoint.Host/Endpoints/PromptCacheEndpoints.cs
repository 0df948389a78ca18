using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.PromptCaching.ControlPlane;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// The original's prompt-cache control plane at the root (<c>/acore/prompt_cache/*</c>), with its bodies, defaults
/// and HTTP 200 envelopes (<c>{"supported":true,"ok":…}</c>); a malformed body is a 400 OpenAI error (the original
/// answered 422). Every KV change these make runs on the inference loop.
/// </summary>
internal static class PromptCacheEndpoints
{
    public static void MapPromptCacheEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/acore/prompt_cache/stats", (ModelState state) =>
            Json(Caches(state).Run(manager => PromptCacheResponseWriter.Stats(manager.Store.GetStats()))));

        app.MapPost("/acore/prompt_cache/set", async (HttpContext context, ModelState state) =>
        {
            var request = PromptCacheRequestParser.ParseSet(await ReadAsync(context).ConfigureAwait(false));
            return Json(Caches(state).Run(m => PromptCacheResponseWriter.Ok(m.Set(request.Key, request.MakeDefault, request.TtlSeconds))));
        });

        app.MapPost("/acore/prompt_cache/update", async (HttpContext context, ModelState state) =>
        {
            var request = PromptCacheRequestParser.ParseUpdate(await ReadAsync(context).ConfigureAwait(false));
            return Json(Caches(state).Run(m => PromptCacheResponseWriter.Ok(m.Update(request.Key, request.ToFragment(), request.TtlSeconds))));
        });

        app.MapPost("/acore/prompt_cache/fork", async (HttpContext context, ModelState state) =>
        {
            var request = PromptCacheRequestParser.ParseFork(await ReadAsync(context).ConfigureAwait(false));
            return Json(Caches(state).Run(m => PromptCacheResponseWriter.Ok(
                m.Fork(request.FromKey, request.ToKey, request.MakeDefault, request.TtlSeconds))));
        });

        app.MapPost("/acore/prompt_cache/clear", async (HttpContext context, ModelState state) =>
        {
            var request = PromptCacheRequestParser.ParseClear(await ReadAsync(context).ConfigureAwait(false));
            return Json(Caches(state).Run(m => PromptCacheResponseWriter.Ok(m.Clear(request.Key))));
        });

        app.MapPost("/acore/prompt_cache/prepare_modules", async (HttpContext context, ModelState state) =>
        {
            var request = PromptCacheRequestParser.ParsePrepareModules(await ReadAsync(context).ConfigureAwait(false));
            return Json(Caches(state).Run(m => PromptCacheResponseWriter.PrepareModules(
                m.PrepareModules(request.Namespace, request.Modules, request.MakeDefault, request.TtlSeconds, request.Version))));
        });
    }

    private static PromptCacheService Caches(ModelState state)
    {
        state.RequireBackend();
        return state.PromptCaches ?? throw new InvalidOperationException("Prompt caches were not set up.");
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json");
}
