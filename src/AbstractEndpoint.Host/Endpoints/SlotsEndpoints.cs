using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary><c>GET /slots</c>: what each slot is doing, for debugging (llama-server has the same route).</summary>
internal static class SlotsEndpoints
{
    public static void MapSlotsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/slots", (ModelState state) =>
        {
            var slots = state.RequireModel().Status?.Slots ?? [];
            return Results.Json(slots.Select(s => new
            {
                id = s.Id,
                state = s.Activity.ToString().ToLowerInvariant(),
                cached_tokens = s.CachedTokens,
                prompt_tokens = s.PromptTokens,
                generated_tokens = s.GeneratedTokens,
            }));
        });
}
