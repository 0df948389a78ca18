namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// Holds model loading until released. Not registered in production; tests register one to observe the
/// "loading" state that a real multi-gigabyte model shows for seconds.
/// </summary>
internal interface IStartupGate
{
    Task WaitAsync(CancellationToken cancellationToken);
}
