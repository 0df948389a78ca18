using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
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

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(
        ChatRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cancelled when the caller stops reading for any reason, so the slot is freed even without a client abort.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var job = CreateJob(request, lifetime.Token);
        loop.Submit(job);
        var finishedChoices = 0;
        try
        {
            yield return new ChatAccepted(job.PromptTokens.Count);
            await foreach (var update in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                switch (update)
                {
                    case JobText text:
                        yield return new ContentDelta(text.Text, text.Choice);
                        break;
                    case JobFinished finished:
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
    public GenerationJob CreateJob(ChatRequest request, CancellationToken cancellationToken)
    {
        if (request.Choices > runtime.Info.SequenceCount)
        {
            throw new InvalidRequestException(
                $"Invalid 'n': {request.Choices} choices need as many slots, and this server has {runtime.Info.SequenceCount} (--parallel).",
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
        var addBos = vocabulary.AddsBos && (vocabulary.BosText.Length == 0 || !prompt.StartsWith(vocabulary.BosText, StringComparison.Ordinal));
        var tokens = vocabulary.Tokenize(prompt, addBos, parseSpecial: true);
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
