using System.Text.Json.Serialization;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /apply-template</c> (llama-server's debugging route): a chat request body in, <c>{"prompt": "…"}</c> out —
/// exactly the text the model would be given, rendered by its chat template.
/// </summary>
internal static class TemplateEndpoints
{
    public static void MapTemplateEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/apply-template", async (HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers) =>
        {
            var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
            var parsed = ChatCompletionRequestParser.Parse(body, requireModel: false, strict: options.StrictRequests);
            RequestLog.Ignored(loggers.CreateLogger(typeof(TemplateEndpoints)), "/apply-template", parsed.Ignored);
            var renderer = state.RequireModel().Renderer
                ?? throw new InvalidRequestException("This backend does not render prompts locally.", null, "unsupported");
            return Results.Json(new PromptBody(renderer.RenderPrompt(parsed.Request)));
        });

    private sealed record PromptBody([property: JsonPropertyName("prompt")] string Prompt);
}
