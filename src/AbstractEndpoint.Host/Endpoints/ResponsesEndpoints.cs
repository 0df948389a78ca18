using System.Buffers;
using System.Globalization;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Responses;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Protocol.OpenAI;
using AbstractEndpoint.Protocol.OpenAI.Responses;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// OpenAI's Responses API over the same backend stream as the chat route: <c>POST /v1/responses</c>,
/// <c>POST /v1/responses/input_tokens</c>, and the stored responses (<c>GET</c>/<c>DELETE /v1/responses/{id}</c>,
/// <c>GET /v1/responses/{id}/input_items</c>). The protocol converters do the mapping; this wires them up and keeps
/// the store; <see cref="ResponseConversations"/> decides what a turn continues (the stored conversation, replayed
/// before its input, and on the local engine the previous turn's KV state, forked so only the new turn is prefilled).
/// </summary>
internal static class ResponsesEndpoints
{
    private const string Route = "/v1/responses";

    /// <summary>OpenAI's page size bounds for <c>input_items</c>.</summary>
    private const int DefaultPageSize = 20;

    private const int MaxPageSize = 100;

    public static void MapResponsesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync);
        app.MapPost(Route + "/input_tokens", InputTokensAsync);
        app.MapGet(Route + "/{id}", GetAsync);
        app.MapDelete(Route + "/{id}", DeleteAsync);
        app.MapGet(Route + "/{id}/input_items", InputItemsAsync);
    }

    private static async Task HandleAsync(
        HttpContext context, ModelState state, EndpointOptions options, ResponseStore store, ResponseConversations conversations,
        ILoggerFactory loggers)
    {
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = ResponsesRequestParser.Parse(body, strict: options.StrictRequests);
        var backend = Prepare(parsed, state, options, loggers, Route);
        var owner = ApiKeyMiddleware.KeyIdOf(context);
        var stored = parsed.Settings.Store && store.Enabled;
        using var turn = conversations.Begin(parsed, owner, stored, state.Model?.ConversationStates);
        var header = new ResponseHeader(
            ResponseIds.NewResponseId(), backend.ModelId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), parsed.Settings with { Store = stored });
        var aborted = context.RequestAborted;
        var updates = PromptCacheKeyScope.Stream(PromptCacheKeyScope.Of(context), backend, turn.Request, aborted).GetAsyncEnumerator(aborted);
        await using (updates.ConfigureAwait(false))
        {
            // The first update is the admission; failures before it become a proper 4xx/503.
            if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current is not ChatAccepted)
            {
                throw new InvalidOperationException("The backend did not accept the request.");
            }

            var response = new ResponseEventStream(header);
            if (parsed.Stream)
            {
                await StreamAsync(context, updates, response).ConfigureAwait(false);
            }
            else
            {
                while (await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    response.Write(null, updates.Current);
                }

                if (response.Usage is null)
                {
                    throw new InvalidOperationException("The reply ended before it finished.");
                }

                context.Response.ContentType = "application/json";
                var buffer = new ArrayBufferWriter<byte>();
                response.WriteResponse(buffer);
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, aborted).ConfigureAwait(false);
            }

            if (stored && response.Usage is not null)
            {
                turn.Keep(owner, response);
            }
        }
    }

    /// <summary>The prompt's size as the backend measures it on admission; the request is dropped before any token is generated.</summary>
    private static async Task InputTokensAsync(
        HttpContext context, ModelState state, EndpointOptions options, ResponseConversations conversations, ILoggerFactory loggers)
    {
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = ResponsesRequestParser.Parse(body, strict: options.StrictRequests, countTokens: true);
        var backend = Prepare(parsed, state, options, loggers, Route + "/input_tokens");
        var history = conversations.History(parsed, ApiKeyMiddleware.KeyIdOf(context));
        var request = history is null ? parsed.Request : parsed.Continuing(history);
        request = request with { Limits = request.Limits with { MaxOutputTokens = 1 } };
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
        var buffer = new ArrayBufferWriter<byte>();
        ResponseListWriter.WriteInputTokens(buffer, promptTokens);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, string id, ResponseStore store)
    {
        var stored = store.Find(id, ApiKeyMiddleware.KeyIdOf(context)) ?? throw NotFound(id);
        if (context.Request.Query.TryGetValue("stream", out var stream) && stream == "true")
        {
            throw new InvalidRequestException(
                "Unsupported parameter: 'stream': a stored response is returned whole here.", "stream", "unsupported_parameter");
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(stored.Response, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task DeleteAsync(HttpContext context, string id, ResponseStore store)
    {
        if (!store.Delete(id, ApiKeyMiddleware.KeyIdOf(context)))
        {
            throw NotFound(id);
        }

        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        ResponseListWriter.WriteDeleted(buffer, id);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A page of the response's input items: <c>order</c> (<c>desc</c> by default, as OpenAI), <c>limit</c>, <c>after</c>, <c>before</c>.</summary>
    private static async Task InputItemsAsync(HttpContext context, string id, ResponseStore store)
    {
        var stored = store.Find(id, ApiKeyMiddleware.KeyIdOf(context)) ?? throw NotFound(id);
        var query = context.Request.Query;
        var order = query.TryGetValue("order", out var orderValue) ? orderValue.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            throw new InvalidRequestException(
                $"Invalid value for 'order': '{order}'. Supported values are: 'asc' and 'desc'.", "order", "invalid_value");
        }

        var limit = DefaultPageSize;
        if (query.TryGetValue("limit", out var limitValue)
            && (!int.TryParse(limitValue, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxPageSize))
        {
            throw new InvalidRequestException(
                $"Invalid value for 'limit': '{limitValue}'. Use a whole number from 1 to {MaxPageSize}.", "limit", "invalid_value");
        }

        IEnumerable<JsonObject> items = order == "asc" ? stored.InputItems : stored.InputItems.Reverse();
        if (query.TryGetValue("after", out var after) && after.ToString() is { Length: > 0 } afterId)
        {
            items = items.SkipWhile(item => ItemId(item) != afterId).Skip(1);
        }

        if (query.TryGetValue("before", out var before) && before.ToString() is { Length: > 0 } beforeId)
        {
            items = items.TakeWhile(item => ItemId(item) != beforeId);
        }

        var all = items.ToList();
        var page = all.Take(limit).ToList();
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        ResponseListWriter.WriteItems(buffer, page, hasMore: all.Count > page.Count);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static NotFoundException NotFound(string id) => ResponseConversations.NotFound(id);

    private static string? ItemId(JsonObject item) => item["id"]?.GetValue<string>();

    private static IChatBackend Prepare(
        ParsedResponsesRequest parsed, ModelState state, EndpointOptions options, ILoggerFactory loggers, string route)
    {
        var logger = loggers.CreateLogger(typeof(ResponsesEndpoints));
        RequestLog.Ignored(logger, route, parsed.Ignored);
        var backend = state.RequireBackend();
        if (options.StrictModelName && parsed.Model.Length > 0)
        {
            ModelNameCheck.Validate(parsed.Model, backend.ModelId);
        }
        else if (parsed.Model.Length > 0 && !ModelNameCheck.Matches(parsed.Model, backend.ModelId))
        {
            RequestLog.OtherModelName(logger, route, parsed.Model, backend.ModelId);
        }

        return backend;
    }

    private static async Task StreamAsync(HttpContext context, IAsyncEnumerator<ChatUpdate> updates, ResponseEventStream stream)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;
        stream.WriteStart(output);
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
            // Headers are gone: the failure travels as events, then the stream ends.
            stream.WriteFailed(output, ErrorResponses.From(ex).Error);
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
