using System.Reflection;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.LlamaServer;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>GET /props</c>: the loaded model's facts a client needs (context per request, slots, chat template, BOS/EOS,
/// modalities, build), in llama-server's shape. 503 while the model loads, like the other model routes.
/// </summary>
internal static class PropsEndpoints
{
    private static readonly string Version =
        typeof(PropsEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PropsEndpoints).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static void MapPropsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/props", (ModelState state, EndpointOptions options) =>
        {
            var properties = state.RequireModel().Properties
                ?? throw new InvalidRequestException("This backend does not describe its model.", null, "unsupported");
            return Results.Json(PropsBody.From(
                state.ModelId, options.Model, properties, $"abstractendpoint {Version}; {properties.Runtime}"));
        });
}
