using System.Buffers;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /v1/embeddings</c>: the inputs' vectors from the loaded model's embedding context, or from an OpenAI-style
/// remote provider's <c>/embeddings</c>. A backend without embeddings (Anthropic's Messages API) is a 400.
/// </summary>
internal static class EmbeddingsEndpoints
{
    private const string Route = "/v1/embeddings";

    public static void MapEmbeddingsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, async (HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var parsed = EmbeddingRequestParser.Parse(body, strict: options.StrictRequests);
            var logger = loggers.CreateLogger(typeof(EmbeddingsEndpoints));
            RequestLog.Ignored(logger, Route, parsed.Ignored);
            var model = state.RequireModel();
            var embeddings = model.Embeddings ?? throw new InvalidRequestException(
                "This server's model is served by a remote provider whose API has no embeddings (Anthropic's Messages API); /v1/embeddings is not available.", null, "unsupported_endpoint");
            ServedModelName.Check(logger, Route, options.StrictModelName, parsed.Model, model.Chat.ModelId);
            if (embeddings.Dimensions is { } width)
            {
                parsed.CheckDimensions(width);
            }

            var result = await embeddings.EmbedAsync(parsed.Inputs, parsed.Dimensions, context.RequestAborted).ConfigureAwait(false);
            var buffer = new ArrayBufferWriter<byte>();
            EmbeddingResponseWriter.Write(buffer, result, model.Chat.ModelId, parsed.Base64);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        });
}
