using System.Buffers;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.PromptCaching.Binding;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>. Everything that can be a client error (body, model name, prompt size, queue)
/// is decided before the first byte is written; after that a stream can only end normally or with an error event.
/// </summary>
internal static class ChatCompletionsEndpoints
{
    public static void MapChatCompletionsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/chat/completions", HandleAsync);

    private static async Task HandleAsync(HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers)
    {
        const string route = "/v1/chat/completions";
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = ChatCompletionRequestParser.Parse(body, strict: options.StrictRequests);
        var logger = loggers.CreateLogger(typeof(ChatCompletionsEndpoints));
        RequestLog.Ignored(logger, route, parsed.Ignored);
        var backend = state.RequireBackend();
        ServedModelName.Check(logger, route, options.StrictModelName, parsed.Model, backend.ModelId);

        // AbstractCore's prompt_cache_binding: checked against the cache's record and resolved into its key before
        // generation, so a stale binding is a 400/409, never a reply from the wrong cache.
        // Under API keys the binding is checked against the key's own caches, then the key is scoped to them.
        var scope = PromptCacheKeyScope.Of(context);
        var caches = state.RequireModel().PromptCaches;
        var request = PromptCacheBindingValidator.Resolve(
            parsed.Request, caches is not null && scope is not null ? new KeyScopedPromptCacheControl(caches, scope) : caches);
        var aborted = context.RequestAborted;
        var updates = PromptCacheKeyScope.Stream(scope, backend, request, aborted).GetAsyncEnumerator(aborted);
        await using (updates.ConfigureAwait(false))
        {
            // The first update is the admission; failures before it become a proper 4xx/503.
            if (!await updates.MoveNextAsync().ConfigureAwait(false) || updates.Current is not ChatAccepted)
            {
                throw new InvalidOperationException("The backend did not accept the request.");
            }

            var encoder = new ChatCompletionEncoder(backend.ModelId);
            if (parsed.Stream)
            {
                await StreamAsync(context, updates, encoder, parsed.Request.Choices, parsed.IncludeUsage).ConfigureAwait(false);
            }
            else
            {
                await RespondAsync(context, updates, encoder, parsed.Request.Choices, parsed.Request.Sampling.TopLogprobs is not null)
                    .ConfigureAwait(false);
            }
        }
    }

    private static async Task RespondAsync(
        HttpContext context, IAsyncEnumerator<ChatUpdate> updates, ChatCompletionEncoder encoder, int choiceCount, bool logprobs)
    {
        var choices = Enumerable.Range(0, choiceCount).Select(i => new CompletedChoiceBuilder(i, logprobs)).ToArray();
        var finished = new CompletedChoice[choiceCount];
        var usage = new UsageTotal();
        ReplyTelemetry? telemetry = null;
        while (await updates.MoveNextAsync().ConfigureAwait(false))
        {
            switch (updates.Current)
            {
                case ChatFinished end:
                    finished[end.Choice] = choices[end.Choice].Build(end.Reason);
                    usage.Add(end.Usage);
                    telemetry = end.Telemetry ?? telemetry;
                    break;
                case ChoiceUpdate update:
                    choices[update.Choice].Add(update);
                    break;
            }
        }

        if (usage.Total is not { } total || finished.Any(c => c is null))
        {
            throw new InvalidOperationException("The reply ended before every choice finished.");
        }

        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        encoder.WriteCompletion(buffer, finished, total, telemetry);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(
        HttpContext context, IAsyncEnumerator<ChatUpdate> updates, ChatCompletionEncoder encoder, int choiceCount, bool includeUsage)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // No Connection header: HTTP/1.1 keeps the connection by default, HTTP/2 forbids the header, and a fixed
        // "keep-alive" would contradict a client that sent "Connection: close". Kestrel closes such a connection
        // after the reply anyway, so a client trusting the header would reuse a dead connection.
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;

        for (var choice = 0; choice < choiceCount; choice++)
        {
            encoder.WriteRoleChunk(output, choice);
        }

        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        var usage = new UsageTotal();
        ReplyTelemetry? telemetry = null;

        // Log probabilities wait for the next chunk of their choice: the chunk that carries their text.
        var pending = new List<TokenLogprob>?[choiceCount];
        try
        {
            while (await updates.MoveNextAsync().ConfigureAwait(false))
            {
                switch (updates.Current)
                {
                    case LogprobsDelta delta:
                        (pending[delta.Choice] ??= []).AddRange(delta.Entries);
                        continue;
                    case ContentDelta delta:
                        encoder.WriteContentChunk(output, delta.Text, delta.Choice, Take(pending, delta.Choice));
                        break;
                    case ReasoningDelta delta:
                        encoder.WriteReasoningChunk(output, delta.Text, delta.Choice, Take(pending, delta.Choice));
                        break;
                    case ToolCallDelta call:
                        encoder.WriteToolCallChunk(
                            output, call.Index, call.Id, call.Name, call.ArgumentsFragment, call.Choice, Take(pending, call.Choice));
                        break;
                    case ChatFinished finished:
                        encoder.WriteFinishChunk(output, finished.Reason, finished.Choice, Take(pending, finished.Choice), finished.Telemetry);
                        usage.Add(finished.Usage);
                        telemetry = finished.Telemetry ?? telemetry;
                        break;
                }

                await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            if (includeUsage && usage.Total is { } total)
            {
                encoder.WriteUsageChunk(output, total, telemetry);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Headers are gone: the error travels as an event, then the stream ends as usual.
            ChatCompletionEncoder.WriteErrorEvent(output, ErrorResponses.From(ex).Error);
        }

        output.Write(ChatCompletionEncoder.Done);
        await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static List<TokenLogprob>? Take(List<TokenLogprob>?[] pending, int choice)
    {
        var entries = pending[choice];
        pending[choice] = null;
        return entries;
    }
}
