using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Completion;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Hosting;

namespace AbstractEndpoint.Host.Observability;

/// <summary>
/// The loaded model's <see cref="ITextCompletionBackend"/> (<c>/v1/completions</c>) as the route sees it: measured,
/// logged and held to the server's <see cref="RequestLimits"/> exactly like chat (<see cref="ObservedChatBackend"/>).
/// Each prompt of a request is one generation; its choices are <c>best_of</c> when given, else <c>n</c>.
/// </summary>
internal sealed class ObservedTextCompletionBackend(ITextCompletionBackend inner, EndpointMetrics metrics, RequestLimits limits) : ITextCompletionBackend
{
    public ITextCompletionBackend Inner => inner;

    public IAsyncEnumerable<ChatUpdate> CompleteAsync(TextCompletionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ObservedGeneration.StreamAsync(
            request.Choices, request.Limits, (bounded, token) => inner.CompleteAsync(request with { Limits = bounded }, token),
            metrics, limits, cancellationToken);
    }
}
