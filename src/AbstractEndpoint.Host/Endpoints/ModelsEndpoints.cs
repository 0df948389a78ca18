using System.Text.Json.Serialization;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.LlamaServer;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /v1/models</c>: exactly one entry, as the original (<c>owned_by: "abstractendpoint"</c>).
/// <c>GET /v1/models/{id}</c>: that entry for any id, since any name is served by the one model; under
/// <c>--strict-model-name</c> only for the names a chat request may use, else OpenAI's 404.
/// </summary>
internal static class ModelsEndpoints
{
    public static void MapModelsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", (ModelState state) => Results.Json(new ModelList("list", [Entry(state)])));
        // {**id}: ids are often paths or repo ids ("org/name", "openai/gpt-4o") and keep their slashes.
        app.MapGet("/v1/models/{**id}", async (HttpContext context, string id, ModelState state, EndpointOptions options) =>
        {
            if (options.StrictModelName && !ModelNameCheck.Matches(Uri.UnescapeDataString(id), state.ModelId))
            {
                await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, new OpenAIError(
                    $"The model '{id}' does not exist; this endpoint serves '{state.ModelId}'.", "invalid_request_error", "model", "model_not_found"))
                    .ConfigureAwait(false);
                return;
            }

            await context.Response.WriteAsJsonAsync(Entry(state), context.RequestAborted).ConfigureAwait(false);
        });
    }

    // meta (llama-server's) only once the model is loaded: its facts come from the loaded weights.
    private static ModelEntry Entry(ModelState state) => new(state.ModelId, "model", state.Created, "abstractendpoint")
    {
        Meta = state.Model?.Properties is { } properties ? ModelMeta.From(properties) : null,
    };

    private sealed record ModelList(
        [property: JsonPropertyName("object")] string Object,
        [property: JsonPropertyName("data")] IReadOnlyList<ModelEntry> Data);

    private sealed record ModelEntry(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("object")] string Object,
        [property: JsonPropertyName("created")] long Created,
        [property: JsonPropertyName("owned_by")] string OwnedBy)
    {
        [JsonPropertyName("meta")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public ModelMeta? Meta { get; init; }
    }
}
