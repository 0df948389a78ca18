namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// Keeps one decode call waiting inside the fake until released, so a test can act while the inference loop is
/// provably busy. Disposing releases it, so a failing test never leaves the loop stuck.
/// </summary>
public sealed class DecodeHold : IDisposable
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(15);

    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _released = new();

    /// <summary>Completes once the loop thread is inside the held decode.</summary>
    public Task Entered => _entered.Task;

    public void Release() => _released.Set();

    public void Dispose()
    {
        _released.Set();
    }

    /// <summary>Called by the fake on the loop thread.</summary>
    internal void Wait()
    {
        _entered.TrySetResult();
        if (!_released.Wait(SafetyTimeout))
        {
            throw new TimeoutException("A held decode was never released.");
        }
    }
}
