namespace AbstractEndpoint.Engine.Runtime;

/// <summary>A per-request sampler chain. Loop thread only.</summary>
public interface ITokenSampler : IDisposable
{
    /// <summary>Picks the next token from the logits of <paramref name="batchRow"/> and records it for penalties.</summary>
    int Sample(int batchRow);

    /// <summary>
    /// The log probabilities of the last <see cref="Sample"/>, or null when the request did not ask for them (then
    /// the sampler computes nothing extra).
    /// </summary>
    SampledLogprobs? LastLogprobs { get; }

    /// <summary>
    /// Records a token the loop chose instead of sampling (a forced closing tag) as if it had been sampled: the
    /// penalties see it and a grammar advances over it. False, recording nothing, when the grammar refuses it.
    /// </summary>
    bool Accept(int token) => true;
}
