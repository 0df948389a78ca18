using System.Buffers;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Errors;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Protocol.LlamaServer;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Host.Endpoints;

/// <summary>
/// <c>POST /v1/completions</c> (OpenAI's legacy text completions). One backend request per prompt, all admitted
/// before the first byte (so any client error is a 4xx), run together by the scheduler, and answered as one
/// <c>text_completion</c> or one stream. A backend without raw completions (a remote provider speaking Anthropic's
/// Messages API) is a 400.
/// </summary>
internal static class CompletionsEndpoints
{
    private const string Route = "/v1/completions";

    public static void MapCompletionsEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, HandleAsync);

    private static async Task HandleAsync(HttpContext context, ModelState state, EndpointOptions options, ILoggerFactory loggers)
    {
        var body = await RequestBodyReader.ReadAsync(context).ConfigureAwait(false);
        var parsed = CompletionRequestParser.Parse(body, strict: options.StrictRequests);
        var logger = loggers.CreateLogger(typeof(CompletionsEndpoints));
        RequestLog.Ignored(logger, Route, parsed.Ignored);
        var model = state.RequireModel();
        var backend = model.Completions ?? throw new InvalidRequestException(
            "This server's model is served by a remote provider whose API has no text completions (Anthropic's Messages API); use /v1/chat/completions.",
            null, "unsupported_endpoint");
        ServedModelName.Check(logger, Route, options.StrictModelName, parsed.Model, model.Chat.ModelId);
        var echoes = parsed.Echo ? parsed.Requests.Select(request => EchoText(request.Prompt, model)).ToArray() : null;

        var aborted = context.RequestAborted;
        var scope = PromptCacheKeyScope.Of(context);
        var requests = scope is null ? parsed.Requests : [.. parsed.Requests.Select(scope.Apply)];
        if (parsed.DefaultMaxTokens && options.MaxTokensLimit is { } cap && cap < CompletionRequestParser.DefaultMaxTokens)
        {
            // No max_tokens asked for is no request above --max-tokens-limit: OpenAI's default of 16 is cut to the cap.
            requests = [.. requests.Select(request => request with { Limits = request.Limits with { MaxOutputTokens = cap } })];
        }

        var streams = await AdmittedStreams.AdmitAsync(requests.Select(request => backend.CompleteAsync(request, aborted)), aborted)
            .ConfigureAwait(false);
        await using (streams.ConfigureAwait(false))
        {
            var generatedPerPrompt = parsed.Requests[0].Choices;
            var updates = streams.MergeAsync(generatedPerPrompt, aborted);
            var encoder = new CompletionEncoder(model.Chat.ModelId);
            if (parsed.Stream)
            {
                await StreamAsync(context, updates, encoder, parsed, echoes).ConfigureAwait(false);
            }
            else
            {
                await RespondAsync(context, updates, encoder, parsed, echoes).ConfigureAwait(false);
            }
        }
    }

    private static string EchoText(TextPrompt prompt, LoadedModel model) =>
        prompt.Text ?? TokenText.Detokenize(
            model.Tokenizer ?? throw new InvalidRequestException("This backend cannot turn token ids back into text for 'echo'.", "echo", "unsupported_parameter"),
            prompt.Tokens!);

    private static async Task RespondAsync(
        HttpContext context, IAsyncEnumerable<ChatUpdate> updates, CompletionEncoder encoder, ParsedCompletion parsed, string[]? echoes)
    {
        var perPrompt = parsed.Requests[0].Choices;
        var count = parsed.Requests.Count * perPrompt;
        var builders = Enumerable.Range(0, count).Select(i => new CompletedChoiceBuilder(i, parsed.Requests[0].Sampling.TopLogprobs is not null)).ToArray();
        var finished = new CompletedChoice[count];
        var usages = parsed.Requests.Select(_ => new UsageTotal()).ToArray();
        ReplyTelemetry? telemetry = null;
        await foreach (var update in updates.ConfigureAwait(false))
        {
            switch (update)
            {
                case ChatFinished end:
                    finished[end.Choice] = builders[end.Choice].Build(end.Reason);
                    usages[end.Choice / perPrompt].Add(end.Usage);
                    telemetry = end.Telemetry ?? telemetry;
                    break;
                case ChoiceUpdate choice:
                    builders[choice.Choice].Add(choice);
                    break;
            }
        }

        if (finished.Any(c => c is null) || usages.Any(u => u.Total is null))
        {
            throw new InvalidOperationException("The reply ended before every choice finished.");
        }

        var n = parsed.ChoicesPerPrompt;
        IReadOnlyList<CompletedChoice> choices = parsed.BestOf is null ? finished
            : BestOfSelection.Pick(finished, perPrompt, n, keepLogprobs: parsed.Logprobs is not null);
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        encoder.WriteCompletion(buffer, choices, Sum(usages), echoes is null ? null : [.. choices.Select(c => echoes[c.Index / n])], telemetry);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(
        HttpContext context, IAsyncEnumerable<ChatUpdate> updates, CompletionEncoder encoder, ParsedCompletion parsed, string[]? echoes)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var output = response.BodyWriter;
        var perPrompt = parsed.ChoicesPerPrompt;
        var count = parsed.Requests.Count * perPrompt;
        var wantLogprobs = parsed.Logprobs is not null;
        if (echoes is not null)
        {
            for (var choice = 0; choice < count; choice++)
            {
                encoder.WriteTextChunk(output, echoes[choice / perPrompt], choice, wantLogprobs: wantLogprobs);
            }

            await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var usages = parsed.Requests.Select(_ => new UsageTotal()).ToArray();
        ReplyTelemetry? telemetry = null;

        // Log probabilities wait for the next chunk of their choice: the chunk that carries their text.
        var pending = new List<TokenLogprob>?[count];
        try
        {
            await foreach (var update in updates.ConfigureAwait(false))
            {
                switch (update)
                {
                    case LogprobsDelta delta:
                        (pending[delta.Choice] ??= []).AddRange(delta.Entries);
                        continue;
                    case ContentDelta delta:
                        encoder.WriteTextChunk(output, delta.Text, delta.Choice, Take(pending, delta.Choice), wantLogprobs);
                        break;
                    case ChatFinished finished:
                        encoder.WriteFinishChunk(output, finished.Reason, finished.Choice, Take(pending, finished.Choice), wantLogprobs, finished.Telemetry);
                        usages[finished.Choice / perPrompt].Add(finished.Usage);
                        telemetry = finished.Telemetry ?? telemetry;
                        break;
                    default:
                        continue;
                }

                await output.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }

            if (parsed.IncludeUsage && usages.All(u => u.Total is not null))
            {
                encoder.WriteUsageChunk(output, Sum(usages), telemetry);
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

    private static Usage Sum(IEnumerable<UsageTotal> usages) => usages.Select(u => u.Total!).Aggregate(
        new Usage(0, 0, 0), (sum, u) => new Usage(sum.PromptTokens + u.PromptTokens, sum.CompletionTokens + u.CompletionTokens, sum.CachedTokens + u.CachedTokens));

    private static List<TokenLogprob>? Take(List<TokenLogprob>?[] pending, int choice)
    {
        var entries = pending[choice];
        pending[choice] = null;
        return entries;
    }
}
