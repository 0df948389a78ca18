using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>The server's limits on one generation, applied to every route by <see cref="Observability.ObservedChatBackend"/>.</summary>
/// <param name="Timeout">How long a request may live, from its first byte (<c>--timeout</c>).</param>
/// <param name="MaxTokens">Most tokens one reply may generate (<c>--max-tokens-limit</c>).</param>
/// <param name="MaxChoices">Most choices per request (<c>--max-choices</c>).</param>
public sealed record RequestLimits(TimeSpan? Timeout, int? MaxTokens, int? MaxChoices)
{
    public static RequestLimits None { get; } = new(null, null, null);

    public static RequestLimits From(EndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, options.MaxTokensLimit, options.MaxChoices);
    }
}
