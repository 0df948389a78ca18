namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// Lets decode calls through only as the test allows: each call waits inside the fake for a permit (or until the
/// gate is opened), so a test bounds how many steps the inference loop can take, whatever the machine's speed.
/// Disposing opens it, so a failing test never leaves the loop stuck.
/// </summary>
public sealed class DecodeGate : IDisposable
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _permits = new(0);
    private readonly TaskCompletionSource _firstArrival = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _open;
    private int _passed;

    /// <summary>Completes once the loop thread is waiting at the gate with its first decode.</summary>
    public Task FirstArrival => _firstArrival.Task;

    /// <summary>Decode calls let through so far.</summary>
    public int Passed => Volatile.Read(ref _passed);

    /// <summary>Lets <paramref name="decodes"/> more decode calls through.</summary>
    public void Allow(int decodes) => _permits.Release(decodes);

    /// <summary>Lets every decode through from now on.</summary>
    public void Open()
    {
        _open = true;
        _permits.Release();
    }

    public void Dispose() => Open();

    /// <summary>Called by the fake on the loop thread before each decode.</summary>
    internal void Pass()
    {
        _firstArrival.TrySetResult();
        if (!_open && !_permits.Wait(SafetyTimeout))
        {
            throw new TimeoutException("A gated decode was never allowed through.");
        }

        Interlocked.Increment(ref _passed);
    }
}
