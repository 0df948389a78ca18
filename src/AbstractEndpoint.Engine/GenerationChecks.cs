using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine;

/// <summary>
/// The request-thread checks every local generation shares (chat and raw completions): enough slots for the
/// choices, logit biases inside the vocabulary, prompt plus output inside the context, and <c>ignore_eos</c>'s ban.
/// Each throws the client error before the job is queued.
/// </summary>
internal static class GenerationChecks
{
    public static void CheckChoices(int choices, int slotCount)
    {
        if (choices > slotCount)
        {
            throw new InvalidRequestException(
                $"Invalid 'n': {choices} choices need as many slots, and this server has {slotCount} (--parallel).",
                "n", "invalid_value");
        }
    }

    public static void CheckLogitBias(IReadOnlyDictionary<int, float> biases, IVocabulary vocabulary)
    {
        foreach (var token in biases.Keys)
        {
            if (token >= vocabulary.VocabularySize)
            {
                throw new InvalidRequestException(
                    $"Invalid 'logit_bias': token id {token} is outside the vocabulary ({vocabulary.VocabularySize} tokens).",
                    "logit_bias", "invalid_value");
            }
        }
    }

    /// <summary>The most tokens each choice may generate; a request that cannot fit the context is a 400 with the numbers.</summary>
    public static int MaxNewTokens(int promptTokens, int? maxOutputTokens, int choices, int contextSize)
    {
        // All choices share the prompt's KV cells, and each needs its own cells for what it generates.
        var maxNew = maxOutputTokens ?? (contextSize - promptTokens) / choices;
        var requested = (long)choices * Math.Max(maxNew, 1); // long: max_tokens may be near int.MaxValue
        if (promptTokens + requested > contextSize)
        {
            throw new ContextOverflowException(promptTokens, requested, contextSize);
        }

        return maxNew;
    }

    // ignore_eos as llama-server does it: every end-of-generation token gets a bias of negative infinity, so the
    // reply runs to max_tokens (or the context's end, which bounds a request without max_tokens).
    public static SamplingOptions WithEndOfGenerationBanned(SamplingOptions sampling, IVocabulary vocabulary)
    {
        var banned = new Dictionary<int, float>(sampling.LogitBias);
        for (var token = 0; token < vocabulary.VocabularySize; token++)
        {
            if (vocabulary.IsEndOfGeneration(token))
            {
                banned[token] = float.NegativeInfinity;
            }
        }

        return sampling with { LogitBias = banned };
    }
}
