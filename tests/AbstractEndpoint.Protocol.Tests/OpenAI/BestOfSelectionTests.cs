using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Protocol.OpenAI;

namespace AbstractEndpoint.Protocol.Tests.OpenAI;

public sealed class BestOfSelectionTests
{
    private static CompletedChoice Choice(int index, params float[] logprobs) => new(index, $"c{index}", FinishReason.Stop)
    {
        Logprobs = [.. logprobs.Select(l => new TokenLogprob("t", l, [], []))],
    };

    [Fact]
    public void Each_prompt_keeps_its_n_most_probable_completions_renumbered()
    {
        // Two prompts, best_of 3, n 2: prompt 0 has choices 0-2, prompt 1 has 3-5.
        var generated = new[]
        {
            Choice(0, -1f, -1f), Choice(1, -0.5f), Choice(2, -3f),
            Choice(3, -2f), Choice(4, -0.1f, -0.1f), Choice(5, -0.3f),
        };

        var kept = BestOfSelection.Pick(generated, generatedPerPrompt: 3, n: 2, keepLogprobs: false);

        Assert.Equal(["c1", "c0", "c4", "c5"], kept.Select(c => c.Content));
        Assert.Equal([0, 1, 2, 3], kept.Select(c => c.Index));
        Assert.All(kept, c => Assert.Null(c.Logprobs));
    }

    [Fact]
    public void Log_probabilities_stay_when_the_client_asked_for_them()
    {
        var kept = BestOfSelection.Pick([Choice(0, -2f), Choice(1, -1f)], generatedPerPrompt: 2, n: 1, keepLogprobs: true);

        var best = Assert.Single(kept);
        Assert.Equal("c1", best.Content);
        Assert.Equal(0, best.Index);
        Assert.NotNull(best.Logprobs);
    }
}
