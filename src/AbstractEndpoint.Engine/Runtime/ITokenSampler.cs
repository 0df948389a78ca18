namespace AbstractEndpoint.Engine.Runtime;

/// <summary>A per-request sampler chain. Loop thread only.</summary>
public interface ITokenSampler : IDisposable
{
    /// <summary>Picks the next token from the logits of <paramref name="batchRow"/> and records it for penalties.</summary>
    int Sample(int batchRow);
}
