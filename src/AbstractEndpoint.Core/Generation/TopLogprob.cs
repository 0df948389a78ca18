namespace AbstractEndpoint.Core.Generation;

/// <summary>One of the most likely tokens at a position, as OpenAI's <c>top_logprobs</c> lists them.</summary>
/// <param name="Token">The token's text (UTF-8 decoded; a piece that is part of a multi-byte character shows U+FFFD).</param>
/// <param name="Logprob">Natural log of its probability; never positive, never negative infinity (masked tokens are left out).</param>
/// <param name="Bytes">The token's exact bytes, so clients can rebuild characters split across tokens.</param>
public sealed record TopLogprob(string Token, float Logprob, byte[] Bytes);
