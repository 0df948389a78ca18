using System.Net;
using System.Net.Http.Headers;

namespace AbstractEndpoint.Providers;

/// <summary>
/// The one <see cref="HttpClient"/> a remote backend uses: a bounded pool of connections, a connect timeout, and no
/// overall timeout (a stream may run long; silence is bounded per read by the backend instead).
/// </summary>
internal static class UpstreamHttp
{
    /// <summary>The Messages API version every Anthropic request names (the one this server's converters follow).</summary>
    public const string AnthropicVersion = "2023-06-01";

    public static HttpClient Create(UpstreamSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.MaxConnections,
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>A request to <paramref name="path"/> under the base URL, carrying this server's own credential only.</summary>
    public static HttpRequestMessage Request(UpstreamSettings settings, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(settings.BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path));
        if (settings.ApiKey is { } key)
        {
            if (settings.Provider.KeyHeader == "Authorization")
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(settings.Provider.KeyHeader, key);
            }
        }

        if (settings.Provider.Api == RemoteApi.AnthropicMessages)
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
        }

        return request;
    }
}
