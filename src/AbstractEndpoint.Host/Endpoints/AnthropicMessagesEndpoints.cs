using System.Buffers;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Protocol.Anthropic;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// Anthropic's <c>POST /v1/messages</c> and <c>POST /v1/messages/count_tokens</c>, over the same backend stream as
/// the chat route: the protocol converters do all the mapping, this only wires them up. The <c>x-api-key</c> and
/// <c>anthropic-version</c> headers are accepted (any version: the wire format here is the current one).
/// </summary>
internal static class AnthropicMessagesEndpoints
{
    private const string Route = "/v1/messages";

    public static void MapAnthropicMessagesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync);
        app.MapPost(Route + "/count_tokens", CountTokensAsync);
    }

    private static async Task HandleAsync(HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers)
    {
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = AnthropicMessagesRequestParser.Parse(body, strict: options.StrictRequests);
        var backend = Prepare(parsed, state, options, loggers, Route);
        var aborted = context.RequestAborted;
        var updates = PromptCacheKeyScope.Stream(PromptCacheKeyScope.Of(context), backend, parsed.Request, aborted).GetAsyncEnumerator(aborted);
        await using (updates.ConfigureAwait(false))
        {
            if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current is not ChatAccepted accepted)
            {
                throw new InvalidOperationException("The backend did not accept the request.");
            }

            var id = AnthropicIds.NewMessageId();
            if (parsed.Stream)
            {
                await StreamAsync(context, updates, new AnthropicMessageStream(id, backend.ModelId), accepted.PromptTokens)
                    .ConfigureAwait(false);
                return;
            }

            var builder = new AnthropicMessageBuilder(id, backend.ModelId);
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                builder.Add(updates.Current);
            }

            context.Response.ContentType = "application/json";
            var buffer = new ArrayBufferWriter<byte>();
            builder.WriteMessage(buffer);
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, aborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The prompt's size as the backend measures it on admission; the request is dropped right after, before any
    /// token is generated.
    /// </summary>
    private static async Task CountTokensAsync(HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers)
    {
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = AnthropicMessagesRequestParser.Parse(body, strict: options.StrictRequests, countTokens: true);
        var backend = Prepare(parsed, state, options, loggers, Route + "/count_tokens");
        var request = parsed.Request with { Limits = parsed.Request.Limits with { MaxOutputTokens = 1 } };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var updates = PromptCacheKeyScope.Stream(PromptCacheKeyScope.Of(context), backend, request, stop.Token).GetAsyncEnumerator(stop.Token);
        int promptTokens;
        await using (updates.ConfigureAwait(false))
        {
            if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current is not ChatAccepted accepted)
            {
                throw new InvalidOperationException("The backend did not accept the request.");
            }

            promptTokens = accepted.PromptTokens;
            await stop.CancelAsync().ConfigureAwait(false);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"input_tokens":{{promptTokens}}}""", context.RequestAborted).ConfigureAwait(false);
    }

    private static IChatBackend Prepare(
        ParsedAnthropicMessages parsed, ModelState state, EndpointOptions options, ILoggerFactory loggers, string route)
    {
        var logger = loggers.CreateLogger(typeof(AnthropicMessagesEndpoints));
        RequestLog.Ignored(logger, route, parsed.Ignored);
        var backend = state.RequireBackend();
        if (options.StrictModelName)
        {
            ModelNameCheck.Validate(parsed.Model, backend.ModelId);
        }
        else if (!ModelNameCheck.Matches(parsed.Model, backend.ModelId))
        {
            RequestLog.OtherModelName(logger, route, parsed.Model, backend.ModelId);
        }

        return backend;
    }

    private static async Task StreamAsync(
        HttpContext context, IAsyncEnumerator<ChatUpdate> updates, AnthropicMessageStream stream, int promptTokens)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;
        stream.WriteStart(output, promptTokens);
        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                if (updates.Current is LogprobsDelta)
                {
                    continue;
                }

                stream.Write(output, updates.Current);
                await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var (status, error) = ErrorResponses.From(ex);
            AnthropicMessageStream.WriteError(output, AnthropicError.ForStatus(status, error.Message));
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
