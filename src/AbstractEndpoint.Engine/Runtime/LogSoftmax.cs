namespace AbstractEndpoint.Engine.Runtime;

/// <summary>
/// Log probabilities from logits: <c>logit − max − log Σ exp(logit − max)</c> over the tokens that are not masked
/// (a logit of negative infinity has probability 0 and is neither summed nor listed).
/// </summary>
public static class LogSoftmax
{
    /// <summary>The maximum <c>top_logprobs</c> OpenAI accepts.</summary>
    public const int MaxTop = 20;

    /// <summary>The chosen token's log probability and the <paramref name="top"/> most likely tokens.</summary>
    public static SampledLogprobs Of(ReadOnlySpan<float> logits, int chosen, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top, MaxTop);
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
        {
            if (logit > max)
            {
                max = logit;
            }
        }

        if (float.IsNegativeInfinity(max))
        {
            return new SampledLogprobs(chosen, float.NegativeInfinity, []);
        }

        // Sum in double: a 150k-token vocabulary of small terms loses precision in float.
        var sum = 0.0;
        foreach (var logit in logits)
        {
            if (!float.IsNegativeInfinity(logit))
            {
                sum += Math.Exp(logit - max);
            }
        }

        var offset = max + (float)Math.Log(sum);
        var best = new TokenProbability[top];
        var count = 0;
        for (var token = 0; token < logits.Length && top > 0; token++)
        {
            var logit = logits[token];
            if (float.IsNegativeInfinity(logit) || (count == top && logit <= best[count - 1].Logprob))
            {
                continue;
            }

            // Insertion into a short sorted list (at most 20): cheaper than sorting the vocabulary.
            var at = count < top ? count++ : count - 1;
            while (at > 0 && best[at - 1].Logprob < logit)
            {
                best[at] = best[at - 1];
                at--;
            }

            best[at] = new TokenProbability(token, logit);
        }

        var listed = new TokenProbability[count];
        for (var i = 0; i < count; i++)
        {
            listed[i] = new TokenProbability(best[i].Token, Math.Min(0f, best[i].Logprob - offset));
        }

        var chosenLogit = chosen >= 0 && chosen < logits.Length ? logits[chosen] : float.NegativeInfinity;
        return new SampledLogprobs(chosen, Math.Min(0f, chosenLogit - offset), listed);
    }
}
