using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.LlamaServer;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /tokenize</c> and <c>POST /detokenize</c> in llama-server's shapes, on the loaded model's tokenizer: what
/// agents use to budget context. A token id outside the vocabulary is a 400.
/// </summary>
internal static class TokenizeEndpoints
{
    public static void MapTokenizeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tokenize", async (HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var request = TokenizeRequestParser.Parse(body, options.StrictRequests);
            RequestLog.Ignored(loggers.CreateLogger(typeof(TokenizeEndpoints)), "/tokenize", request.Ignored);
            var tokenizer = RequireTokenizer(state);
            var tokens = tokenizer.Tokenize(request.Content, request.AddSpecial, request.ParseSpecial);
            return Results.Bytes(TokenizeResponseWriter.Write(tokens, request.WithPieces ? tokenizer : null), "application/json");
        });
        app.MapPost("/detokenize", async (HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var request = DetokenizeRequestParser.Parse(body, options.StrictRequests);
            RequestLog.Ignored(loggers.CreateLogger(typeof(TokenizeEndpoints)), "/detokenize", request.Ignored);
            return Results.Json(new DetokenizeBody(TokenText.Detokenize(RequireTokenizer(state), request.Tokens)));
        });
    }

    private static ITokenizer RequireTokenizer(ModelState state) => state.RequireModel().Tokenizer
        ?? throw new InvalidRequestException("This backend does not tokenize locally.", null, "unsupported");

    private sealed record DetokenizeBody([property: System.Text.Json.Serialization.JsonPropertyName("content")] string Content);
}
