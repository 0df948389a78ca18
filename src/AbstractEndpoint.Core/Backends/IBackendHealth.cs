namespace AbstractEndpoint.Core.Backends;

/// <summary>A backend that can become unavailable after it loaded (a remote provider that stops answering).</summary>
public interface IBackendHealth
{
    /// <summary>Why the backend cannot serve right now; null while it can. <c>/health</c> answers 503 with it.</summary>
    string? Problem { get; }
}
