using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Prompting.Templates;

namespace AbstractEndpoint.Engine;

/// <summary>
/// The local model as an <see cref="IChatBackend"/>. On the request thread it renders the prompt, tokenizes it
/// and checks it fits; the inference loop does the rest and streams text back.
/// </summary>
public sealed class LocalChatBackend(string modelId, IModelRuntime runtime, InferenceLoop loop, IChatTemplate template)
    : IChatBackend, IPromptRenderer
{
    public string ModelId { get; } = modelId;

    /// <summary>Named prompt caches (<c>prompt_cache_key</c>); null when caching is off.</summary>
    public PromptCacheService? PromptCaches { get; init; }

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cancelled when the caller stops reading for any reason, so the slot is freed even without a client abort.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var bound = PromptCaches?.Bind(request);
        var job = CreateJob(bound?.Request ?? request, lifetime.Token, bound?.Binding);
        loop.Submit(job);
        var finishedChoices = 0;
        var reply = bound is { Binding.Advance: true } ? new System.Text.StringBuilder() : null;
        try
        {
            yield return new ChatAccepted(job.PromptTokens.Count);
            await foreach (var update in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (update)
                {
                    case JobText text:
                        if (text.Choice == 0)
                        {
                            reply?.Append(text.Text);
                        }

                        yield return new ContentDelta(text.Text, text.Choice);
                        break;
                    case JobFinished finished:
                        if (finished.Choice == 0 && reply is not null)
                        {
                            PromptCaches!.Advanced(bound!, reply.ToString());
                        }

                        yield return new ChatFinished(finished.Reason, finished.Usage, finished.Choice);
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

    /// <summary>Renders, tokenizes and sizes the request; every client error surfaces here, before admission.</summary>
    public GenerationJob CreateJob(ChatRequest request, CancellationToken cancellationToken, CacheBinding? cache = null)
    {
        if (request.Choices > loop.SlotCount)
        {
            throw new InvalidRequestException(
                $"Invalid 'n': {request.Choices} choices need as many slots, and this server has {loop.SlotCount} (--parallel).",
                "n", "invalid_value");
        }

        var vocabulary = runtime.Vocabulary;
        foreach (var token in request.Sampling.LogitBias.Keys)
        {
            if (token >= vocabulary.VocabularySize)
            {
                throw new InvalidRequestException(
                    $"Invalid 'logit_bias': token id {token} is outside the vocabulary ({vocabulary.VocabularySize} tokens).",
                    "logit_bias", "invalid_value");
            }
        }

        var prompt = RenderPrompt(request);

        // Templates that write the BOS text themselves must not get a second BOS from the tokenizer.
        var tokens = PromptTokenizer.Tokenize(vocabulary, prompt);
        if (tokens.Length == 0)
        {
            throw new InvalidRequestException("The rendered prompt is empty.", "messages");
        }

        // All choices share the prompt's KV cells, and each needs its own cells for what it generates.
        var contextSize = runtime.Info.ContextSize;
        var choices = request.Choices;
        var maxNew = request.Limits.MaxOutputTokens ?? (contextSize - tokens.Length) / choices;
        var requested = (long)choices * Math.Max(maxNew, 1); // long: max_tokens may be near int.MaxValue
        if (tokens.Length + requested > contextSize)
        {
            throw new ContextOverflowException(tokens.Length, requested, contextSize);
        }

        return new GenerationJob
        {
            PromptTokens = tokens,
            Sampling = request.Sampling,
            MaxNewTokens = maxNew,
            StopSequences = request.Limits.StopSequences,
            Choices = request.Choices,
            Cache = cache,
            CancellationToken = cancellationToken,
        };
    }

    /// <summary>The prompt text for a request, as the model's template renders it.</summary>
    public string RenderPrompt(ChatRequest request) => template.Render(new ChatTemplateInput
    {
        Messages = request.Messages,
        Tools = request.Tools,
        AddGenerationPrompt = true,
        BosToken = runtime.Vocabulary.BosText,
        EosToken = runtime.Vocabulary.EosText,
        Variables = request.TemplateVariables,
    });
}
