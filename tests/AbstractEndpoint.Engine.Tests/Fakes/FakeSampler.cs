using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>Greedy over the fake's logits: returns the token the model predicted for the row.</summary>
public sealed class FakeSampler(FakeModelRuntime runtime) : ITokenSampler
{
    private bool _disposed;

    public int Sample(int batchRow)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return runtime.PredictionAt(batchRow);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            runtime.SamplerDisposed();
        }
    }
}
