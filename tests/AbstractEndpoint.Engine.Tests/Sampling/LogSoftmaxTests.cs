using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Sampling;

public sealed class LogSoftmaxTests
{
    [Fact]
    public void Masked_tokens_have_no_probability_and_are_never_listed()
    {
        float[] logits = [1f, float.NegativeInfinity, 2f, float.NegativeInfinity];

        var result = LogSoftmax.Of(logits, chosen: 2, top: 4);

        Assert.Equal([2, 0], result.Top.Select(t => t.Token));
        var sum = result.Top.Sum(t => Math.Exp(t.Logprob));
        Assert.Equal(1.0, sum, 5);
        Assert.Equal(result.Top[0].Logprob, result.Logprob);
    }

    [Fact]
    public void Keeps_the_most_likely_tokens_in_order_and_ties_by_id()
    {
        float[] logits = [0f, 3f, 1f, 3f, 2f, -1f];

        var result = LogSoftmax.Of(logits, chosen: 0, top: 3);

        Assert.Equal([1, 3, 4], result.Top.Select(t => t.Token));
        Assert.True(result.Logprob < result.Top[2].Logprob);
    }

    [Fact]
    public void Zero_alternatives_still_give_the_chosen_tokens_value()
    {
        var result = LogSoftmax.Of([0f, 0f], chosen: 1, top: 0);

        Assert.Empty(result.Top);
        Assert.Equal(Math.Log(0.5), result.Logprob, 5);
    }
}
