using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Engine.Output;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Prompting.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AbstractEndpoint.Engine;

/// <summary>
/// The local model as an <see cref="IChatBackend"/>. On the request thread it renders the prompt, tokenizes it,
/// checks it fits and plans the output (grammar, tool-call and reasoning parsing); the inference loop does the rest
/// and streams text back, which is parsed here, per choice, into content, reasoning and tool-call updates.
/// </summary>
public sealed partial class LocalChatBackend(
    string modelId, IModelRuntime runtime, InferenceLoop loop, IChatTemplate template, LocalChatBackendOptions? options = null)
    : IChatBackend, IPromptRenderer
{
    public string ModelId { get; } = modelId;

    /// <summary>
    /// The model's tool-call and reasoning markup, from the template in use: an override's source, else the
    /// model's own; the built-in ChatML (also the fallback for an unusable template) shows no tool markup.
    /// </summary>
    public ModelOutputFormat OutputFormat { get; } = ModelOutputFormat.Detect(
        template is ChatMlTemplate ? null : options?.ChatTemplateSource ?? runtime.Info.ChatTemplate,
        (options ?? new LocalChatBackendOptions()).ReasoningFormat);

    /// <summary>Named prompt caches (<c>prompt_cache_key</c>); null when caching is off.</summary>
    public PromptCacheService? PromptCaches { get; init; }

    /// <summary>Server-managed conversation states (<see cref="ChatRequest.ConversationState"/>); null when none are kept.</summary>
    public ConversationStateCache? ConversationStates { get; init; }

    /// <summary>The reasoning switches the template in use reads (<c>enable_thinking</c>, <c>thinking</c>, <c>reasoning_effort</c>).</summary>
    public ReasoningTemplateVariables ReasoningSwitches { get; } = ReasoningTemplateVariables.Detect(
        template is ChatMlTemplate ? null : options?.ChatTemplateSource ?? runtime.Info.ChatTemplate);

    public ILogger Logger { get; init; } = NullLogger.Instance;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cancelled when the caller stops reading for any reason, so the slot is freed even without a client abort.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A request without a key (and no default key) touches no cache lock; a new key's cache is created only
        // for a request that passes validation.
        // A conversation state is bound as the request is (its messages already replay the whole conversation)
        // unless the client names a cache of its own, which takes precedence.
        var state = request.ConversationState is { } handle && PromptCacheKeys.Normalize(request.PromptCacheKey) is null
            ? ConversationStates?.Bind(handle, request)
            : null;
        var bound = state is null && PromptCaches is { } caches
            ? await caches.BindAsync(request, r => Prepare(r, lifetime.Token), cancellationToken).ConfigureAwait(false)
            : null;
        var (job, plan) = Prepare(bound?.Request ?? request, lifetime.Token, bound?.Binding ?? state);
        loop.Submit(job);
        var outputs = Enumerable.Range(0, job.Choices).Select(plan.NewChoice).ToArray();
        var finishedChoices = 0;
        try
        {
            yield return new ChatAccepted(job.PromptTokens.Count);
            await foreach (var update in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (update)
                {
                    case JobText text:
                        if (text.Logprobs is { Count: > 0 } logprobs)
                        {
                            // Before the updates made of this text, so they ride on its first chunk.
                            yield return new LogprobsDelta(logprobs, text.Choice);
                        }

                        if (outputs[text.Choice] is not { } output)
                        {
                            if (text.Text.Length > 0)
                            {
                                yield return new ContentDelta(text.Text, text.Choice);
                            }

                            break;
                        }

                        foreach (var parsed in output.Feed(text.Text))
                        {
                            yield return parsed;
                        }

                        break;
                    case JobFinished finished:
                        // A cache this request advances already holds the turn: the loop moved it before finishing.
                        var reason = finished.Reason;
                        if (outputs[finished.Choice] is { } last)
                        {
                            foreach (var parsed in last.Complete())
                            {
                                yield return parsed;
                            }

                            // A reply that makes calls ends for that reason, as OpenAI reports it.
                            reason = last.Result!.ToolCalls.Count > 0 ? FinishReason.ToolCalls : reason;
                        }

                        yield return new ChatFinished(reason, finished.Usage, finished.Choice)
                        {
                            StopSequence = finished.StopSequence,
                            Telemetry = Telemetry(request, bound, finished),
                        };
                        if (++finishedChoices == job.Choices)
                        {
                            yield break;
                        }

                        break;
                    case JobFailed failed:
                        throw failed.Error is EndpointException ? failed.Error
                            : new InvalidOperationException("Generation failed: " + failed.Error.Message, failed.Error);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException("The inference loop ended the request without a result.");
        }
        finally
        {
            await lifetime.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How the reply was produced: its scheduling always, and what it did with its named cache when a key applied
    /// (<c>off</c> when the request named a key no cache could hold).
    /// </summary>
    private static ReplyTelemetry Telemetry(ChatRequest request, BoundCacheRequest? bound, JobFinished finished)
    {
        var execution = new ExecutionReport(
            finished.PeakBatchSize, finished.Timings.QueueMs / 1000.0, finished.Timings.TimeToFirstTokenMs / 1000.0);
        var usage = finished.Usage;
        var fed = usage.PromptTokens - usage.CachedTokens;
        PromptCacheReport? cache = bound is not null
            ? new PromptCacheReport(
                bound.Key,
                PromptCacheOutcomeRule.Classify(bound.TokensAtBind, bound.SpilledAtBind, request.ReuseCachedPrompt, usage.PromptTokens, usage.CachedTokens),
                usage.CachedTokens,
                fed)
            : request.PromptCacheKey is { Length: > 0 } key
                ? new PromptCacheReport(key, PromptCacheOutcome.Off, usage.CachedTokens, fed)
                : null;
        return new ReplyTelemetry(execution, cache);
    }

    /// <summary>Renders, tokenizes and sizes the request; every client error surfaces here, before admission.</summary>
    public GenerationJob CreateJob(ChatRequest request, CancellationToken cancellationToken, CacheBinding? cache = null) =>
        Prepare(request, cancellationToken, cache).Job;

    /// <summary>The job for a request and how its output is read; every client error surfaces here, before admission.</summary>
    internal (GenerationJob Job, OutputPlan Plan) Prepare(ChatRequest request, CancellationToken cancellationToken, CacheBinding? cache = null)
    {
        GenerationChecks.CheckChoices(request.Choices, loop.SlotCount);
        var vocabulary = runtime.Vocabulary;
        GenerationChecks.CheckLogitBias(request.Sampling.LogitBias, vocabulary);

        var prompt = RenderPrompt(request);

        // Templates that write the BOS text themselves must not get a second BOS from the tokenizer.
        var tokens = PromptTokenizer.Tokenize(vocabulary, prompt);
        if (tokens.Length == 0)
        {
            throw new InvalidRequestException("The rendered prompt is empty.", "messages");
        }

        var maxNew = GenerationChecks.MaxNewTokens(tokens.Length, request.Limits.MaxOutputTokens, request.Choices, runtime.Info.ContextSize);
        var plan = OutputPlanner.Plan(request, prompt, OutputFormat, vocabulary);
        var sampling = plan.Grammar is null ? request.Sampling : request.Sampling with { Grammar = plan.Grammar };
        if (request.Limits.IgnoreEndOfGeneration)
        {
            sampling = GenerationChecks.WithEndOfGenerationBanned(sampling, vocabulary);
        }

        var job = new GenerationJob
        {
            PromptTokens = tokens,
            Sampling = sampling,
            ReuseCachedPrompt = request.ReuseCachedPrompt,
            IsolationTag = request.IsolationTag,
            MaxNewTokens = maxNew,
            StopSequences = request.Limits.StopSequences,
            RenderSpecialTokens = plan.RenderSpecialTokens,
            ReasoningBudget = OutputPlanner.ReasoningBudget(request, prompt, OutputFormat, vocabulary),
            Choices = request.Choices,
            Cache = cache,
            CancellationToken = cancellationToken,
        };
        return (job, plan);
    }

    /// <summary>The prompt text for a request, as the model's template renders it.</summary>
    public string RenderPrompt(ChatRequest request)
    {
        if (request.Reasoning is { } reasoning && !ReasoningSwitches.HasSwitch)
        {
            LogNoReasoningSwitch(Logger, template.Name, reasoning.Enabled, reasoning.Effort);
        }

        return template.Render(new ChatTemplateInput
        {
            Messages = request.Messages,
            Tools = request.Tools,
            AddGenerationPrompt = true,
            BosToken = runtime.Vocabulary.BosText,
            EosToken = runtime.Vocabulary.EosText,
            Variables = ReasoningSwitches.Apply(request.Reasoning, request.TemplateVariables),
        });
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "reasoning control (enabled {Enabled}, effort {Effort}) accepted with no effect: the chat template '{Template}' has no enable_thinking, thinking or reasoning_effort switch")]
    private static partial void LogNoReasoningSwitch(ILogger logger, string template, bool enabled, ReasoningEffort? effort);
}
