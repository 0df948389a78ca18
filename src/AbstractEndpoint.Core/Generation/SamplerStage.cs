namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// The sampler-chain stages a request may order (llama-server's <c>samplers</c>). Logit bias always comes first and
/// the grammar beside the chain; the final draw (or greedy pick) always comes last.
/// </summary>
public enum SamplerStage
{
    Penalties,
    TopK,
    TypicalP,
    TopP,
    MinP,
    Temperature,
}
