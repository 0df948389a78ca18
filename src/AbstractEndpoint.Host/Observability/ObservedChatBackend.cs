using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// The loaded model's <see cref="IChatBackend"/> as every route sees it: the updates pass through unchanged while
/// their timing and token counts go to <see cref="EndpointMetrics"/> and the request's <see cref="RequestRecord"/>,
/// and the server's <see cref="RequestLimits"/> hold (<c>max_tokens</c> and <c>n</c> caps, <c>--timeout</c>).
/// Wrapping the one backend (in <see cref="ModelState"/>) rather than each route means a route added later is
/// measured, logged and bounded without an edit. It forwards <see cref="IBackendHealth"/> so <c>/health</c> still
/// sees the backend's.
/// </summary>
internal sealed class ObservedChatBackend(IChatBackend inner, EndpointMetrics metrics, RequestLimits limits) : IChatBackend, IBackendHealth
{
    public IChatBackend Inner => inner;

    public string ModelId => inner.ModelId;

    public string? Problem => (inner as IBackendHealth)?.Problem;

    public IAsyncEnumerable<ChatUpdate> StreamAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ObservedGeneration.StreamAsync(
            request.Choices, request.Limits, (bounded, token) => inner.StreamAsync(request with { Limits = bounded }, token),
            metrics, limits, cancellationToken);
    }
}
