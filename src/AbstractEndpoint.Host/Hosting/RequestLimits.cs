using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Host.Options;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>The server's limits on one generation, applied to every generating route by
/// <see cref="Observability.ObservedChatBackend"/> and <see cref="Observability.ObservedTextCompletionBackend"/>
/// (and <c>--timeout</c> to embeddings by <see cref="Observability.TimedEmbeddingBackend"/>).</summary>
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

    /// <summary>A request asking for more choices than <c>--max-choices</c> is a 400 naming <paramref name="field"/>.</summary>
    public void CheckChoices(int choices, string field)
    {
        if (MaxChoices is { } most && choices > most)
        {
            throw new InvalidRequestException(
                $"{field} is {choices}, above this server's limit of {most} (--max-choices).", field, "invalid_value");
        }
    }

    /// <summary>The reply's limits within <c>--max-tokens-limit</c>: one asking for no limit gets the cap, one above it a 400.</summary>
    public GenerationLimits Bound(GenerationLimits asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        if (MaxTokens is not { } cap)
        {
            return asked;
        }

        return asked.MaxOutputTokens switch
        {
            null => asked with { MaxOutputTokens = cap },
            { } tokens when tokens > cap => throw new InvalidRequestException(
                $"max_tokens is {tokens}, above this server's limit of {cap} (--max-tokens-limit).", "max_tokens", "invalid_value"),
            _ => asked,
        };
    }
}
