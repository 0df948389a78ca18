using System.Runtime.CompilerServices;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine;

/// <summary>
/// The local model completing raw prompts (<c>/v1/completions</c>). No chat template: a text prompt is tokenized
/// with a BOS when the model's metadata asks for one, token ids are used as given, and a suffix makes the prompt
/// the model's fill-in-the-middle form. The job goes to the same inference loop as chat (batched with it, prefix
/// reuse, cancellation); the reply is plain text, its log probabilities passed on as they come, and each choice's end
/// reports its scheduling (the <c>abstractcore</c> object's <c>execution</c>; raw prompts bind no named cache).
/// </summary>
public sealed class LocalTextCompletionBackend(IModelRuntime runtime, InferenceLoop loop) : ITextCompletionBackend
{
    public async IAsyncEnumerable<ChatUpdate> CompleteAsync(
        TextCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Cancelled when the caller stops reading for any reason, so the slots are freed even without a client abort.
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var job = CreateJob(request, lifetime.Token);
        loop.Submit(job);
        var unfinished = job.Choices;
        try
        {
            yield return new ChatAccepted(job.PromptTokens.Count);
            await foreach (var update in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (update is JobFailed failed)
                {
                    throw failed.Error is EndpointException ? failed.Error
                        : new InvalidOperationException("Generation failed: " + failed.Error.Message, failed.Error);
                }

                foreach (var converted in Convert(update))
                {
                    yield return converted;
                }

                if (update is JobFinished && --unfinished == 0)
                {
                    yield break;
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

    /// <summary>The job for a request; every client error surfaces here, before admission.</summary>
    public GenerationJob CreateJob(TextCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        GenerationChecks.CheckChoices(request.Choices, loop.SlotCount);
        var vocabulary = runtime.Vocabulary;
        GenerationChecks.CheckLogitBias(request.Sampling.LogitBias, vocabulary);
        var tokens = PromptTokens(request, vocabulary);
        if (tokens.Count == 0)
        {
            throw new InvalidRequestException("The prompt is empty: it has no tokens.", "prompt", "invalid_value");
        }

        var maxNew = GenerationChecks.MaxNewTokens(tokens.Count, request.Limits.MaxOutputTokens, request.Choices, runtime.Info.ContextSize);
        var sampling = request.Sampling;
        if (sampling.Grammar is { } grammar && vocabulary.ValidateGrammar(grammar) is { } problem)
        {
            throw new InvalidRequestException($"Invalid 'grammar': {problem}.", "grammar", "invalid_value");
        }

        if (request.Limits.IgnoreEndOfGeneration)
        {
            sampling = GenerationChecks.WithEndOfGenerationBanned(sampling, vocabulary);
        }

        return new GenerationJob
        {
            PromptTokens = tokens,
            Sampling = sampling,
            ReuseCachedPrompt = request.ReuseCachedPrompt,
            IsolationTag = request.IsolationTag,
            MaxNewTokens = maxNew,
            StopSequences = request.Limits.StopSequences,
            Choices = request.Choices,
            CancellationToken = cancellationToken,
        };
    }

    private static IReadOnlyList<int> PromptTokens(TextCompletionRequest request, IVocabulary vocabulary)
    {
        if (request.Suffix is { } suffix)
        {
            return FillInTheMiddle(request.Prompt, suffix, vocabulary);
        }

        if (request.Prompt.Tokens is { } given)
        {
            CheckTokens(given, vocabulary);
            return given;
        }

        // Special-token text in a raw prompt is its token, as llama-server's /completion reads it.
        return PromptTokenizer.Tokenize(vocabulary, request.Prompt.Text!);
    }

    // llama-server's infill layout: [BOS] PRE prefix SUF suffix MID; prefix and suffix are plain text (no special
    // tokens parsed, so a user's text cannot forge the markers).
    private static int[] FillInTheMiddle(TextPrompt prompt, string suffix, IVocabulary vocabulary)
    {
        if (vocabulary.FillInTheMiddle is not { } fim)
        {
            throw new InvalidRequestException(
                "Unsupported value for 'suffix': this model's vocabulary has no fill-in-the-middle tokens (FIM prefix, suffix and middle).",
                "suffix", "unsupported_parameter");
        }

        IReadOnlyList<int> prefix = prompt.Tokens ?? vocabulary.Tokenize(prompt.Text!, addBos: false, parseSpecial: false);
        CheckTokens(prefix, vocabulary);
        var suffixTokens = vocabulary.Tokenize(suffix, addBos: false, parseSpecial: false);
        var bos = vocabulary.AddsBos ? vocabulary.Tokenize("", addBos: true, parseSpecial: false) : [];
        return [.. bos, fim.Prefix, .. prefix, fim.Suffix, .. suffixTokens, fim.Middle];
    }

    private static void CheckTokens(IReadOnlyList<int> tokens, IVocabulary vocabulary)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= vocabulary.VocabularySize)
            {
                throw new InvalidRequestException(
                    $"Invalid 'prompt': token id {tokens[i]} at position {i} is outside the vocabulary ({vocabulary.VocabularySize} tokens).",
                    "prompt", "invalid_value");
            }
        }
    }

    private static IEnumerable<ChatUpdate> Convert(JobEvent update)
    {
        switch (update)
        {
            case JobText text:
                if (text.Logprobs is { Count: > 0 } logprobs)
                {
                    // Before the text they belong to, so they ride on its chunk.
                    yield return new LogprobsDelta(logprobs, text.Choice);
                }

                if (text.Text.Length > 0)
                {
                    yield return new ContentDelta(text.Text, text.Choice);
                }

                break;
            case JobFinished finished:
                yield return new ChatFinished(finished.Reason, finished.Usage, finished.Choice)
                {
                    StopSequence = finished.StopSequence,
                    Telemetry = new ReplyTelemetry(new ExecutionReport(
                        finished.PeakBatchSize, finished.Timings.QueueMs / 1000.0, finished.Timings.TimeToFirstTokenMs / 1000.0)),
                };
                break;
        }
    }
}
