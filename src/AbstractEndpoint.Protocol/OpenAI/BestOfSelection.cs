namespace AbstractEndpoint.Protocol.OpenAI;

/// <summary>
/// <c>best_of</c>: of the completions generated for each prompt, keep the <c>n</c> whose tokens have the highest
/// cumulative log probability (the sum over the completion's tokens, as OpenAI ranks them), in that order, and
/// number them as if only they had been generated.
/// </summary>
public static class BestOfSelection
{
    /// <param name="generated">Every generated choice; prompt <c>p</c>'s are indexed from <c>p × generatedPerPrompt</c>.</param>
    /// <param name="generatedPerPrompt">How many were generated per prompt (<c>best_of</c>).</param>
    /// <param name="n">How many to keep per prompt.</param>
    /// <param name="keepLogprobs">Whether the client asked for log probabilities (else they were only for ranking).</param>
    public static IReadOnlyList<CompletedChoice> Pick(IReadOnlyList<CompletedChoice> generated, int generatedPerPrompt, int n, bool keepLogprobs)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var kept = new List<CompletedChoice>();
        foreach (var prompt in generated.GroupBy(choice => choice.Index / generatedPerPrompt).OrderBy(group => group.Key))
        {
            var best = prompt
                .OrderByDescending(choice => choice.Logprobs?.Sum(entry => (double)entry.Logprob) ?? double.NegativeInfinity)
                .ThenBy(choice => choice.Index)
                .Take(n)
                .Select((choice, rank) => choice with { Index = (prompt.Key * n) + rank, Logprobs = keepLogprobs ? choice.Logprobs : null });
            kept.AddRange(best);
        }

        return kept;
    }
}
