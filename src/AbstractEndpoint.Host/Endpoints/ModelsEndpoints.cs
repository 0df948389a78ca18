using System.Text.Json.Serialization;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary><c>GET /v1/models</c>: exactly one entry, as the original (<c>owned_by: "abstractendpoint"</c>).</summary>
internal static class ModelsEndpoints
{
    public static void MapModelsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/models", (ModelState state) =>
            Results.Json(new ModelList("list", [new ModelEntry(state.ModelId, "model", state.Created, "abstractendpoint")])));

    private sealed record ModelList(
        [property: JsonPropertyName("object")] string Object,
        [property: JsonPropertyName("data")] IReadOnlyList<ModelEntry> Data);

    private sealed record ModelEntry(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("object")] string Object,
        [property: JsonPropertyName("created")] long Created,
        [property: JsonPropertyName("owned_by")] string OwnedBy);
}
