namespace AbstractEndpoint.Engine.Runtime;

/// <summary>What a sampler reports about its last draw when log probabilities were asked for.</summary>
/// <param name="Token">The token drawn.</param>
/// <param name="Logprob">Its log probability under the pre-sampling distribution (see <see cref="LogSoftmax"/>).</param>
/// <param name="Top">The most likely tokens, most likely first; masked (negative infinity) tokens never appear.</param>
public sealed record SampledLogprobs(int Token, float Logprob, IReadOnlyList<TokenProbability> Top);
