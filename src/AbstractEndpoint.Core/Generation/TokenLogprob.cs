namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// The log probability of one generated token and its most likely alternatives (OpenAI's
/// <c>logprobs.content[]</c> entry). Values are a log-softmax of the model's logits after logit bias (which
/// includes <c>ignore_eos</c>'s ban) and grammar masking, before penalties, temperature, top-k, typical-p,
/// top-p and min-p: the distribution the token was drawn from before the sampling transforms.
/// </summary>
/// <param name="Token">The token's text (see <see cref="TopLogprob.Token"/>).</param>
/// <param name="Logprob">Natural log of the token's probability.</param>
/// <param name="Bytes">The token's exact bytes.</param>
/// <param name="TopLogprobs">The most likely tokens at this position, most likely first (as many as <c>top_logprobs</c> asked).</param>
public sealed record TokenLogprob(string Token, float Logprob, byte[] Bytes, IReadOnlyList<TopLogprob> TopLogprobs);
