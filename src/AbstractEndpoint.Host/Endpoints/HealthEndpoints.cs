using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /health</c> (and its alias <c>GET /v1/health</c>, for clients that only know a <c>/v1</c> base URL): 503
/// while loading, then the original's <c>{"status":"healthy","model":id}</c>.
/// </summary>
internal static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Health);
        app.MapGet("/v1/health", Health);
    }

    private static IResult Health(ModelState state) => state.Status switch
    {
        // A remote provider that stopped answering: 503 with the reason until its probe succeeds again.
        ModelStatus.Ready when state.Model?.Chat is IBackendHealth { Problem: { } problem } =>
            Results.Json(new HealthBody("unavailable", state.ModelId, problem), statusCode: StatusCodes.Status503ServiceUnavailable),
        ModelStatus.Ready => Results.Json(new HealthBody("healthy", state.ModelId, null)),
        ModelStatus.Loading => Results.Json(new HealthBody("loading", state.ModelId, null), statusCode: StatusCodes.Status503ServiceUnavailable),
        _ => Results.Json(new HealthBody("error", state.ModelId, state.Error), statusCode: StatusCodes.Status503ServiceUnavailable),
    };

    private sealed record HealthBody(
        [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
        [property: System.Text.Json.Serialization.JsonPropertyName("model")] string Model,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")]
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        string? Error);
}
