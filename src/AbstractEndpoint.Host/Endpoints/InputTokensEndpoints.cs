using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.LlamaServer;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions/input_tokens</c>: a chat request body in (as for <c>/v1/chat/completions</c>,
/// <c>model</c> optional), the number of tokens its rendered prompt costs out — template, tools and BOS included —
/// without generating anything. Named after OpenAI's <c>/v1/responses/input_tokens</c>.
/// </summary>
internal static class InputTokensEndpoints
{
    public static void MapInputTokensEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/chat/completions/input_tokens", async (HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var parsed = ChatCompletionRequestParser.Parse(body, requireModel: false, strict: options.StrictRequests);
            RequestLog.Ignored(loggers.CreateLogger(typeof(InputTokensEndpoints)), "/v1/chat/completions/input_tokens", parsed.Ignored);
            var counter = state.RequireModel().TokenCounter
                ?? throw new InvalidRequestException("This backend does not count prompt tokens locally.", null, "unsupported");
            return Results.Json(InputTokensBody.Of(counter.CountPromptTokens(parsed.Request)));
        });
}
