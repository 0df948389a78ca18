namespace AbstractEndpoint.Providers;

/// <summary>
/// Resolves the base URL and credential of a remote provider. The base URL is the first of: the configured one
/// (flag, <c>ABSTRACTENDPOINT_BASE_URL</c>, config file, already merged by the configuration model), the
/// provider's own <c>*_BASE_URL</c> variable, its default. The credential is <c>--upstream-api-key</c> (or
/// <c>ABSTRACTENDPOINT_UPSTREAM_API_KEY</c>), else the provider's own variable.
/// </summary>
public static class UpstreamSettingsResolver
{
    public static UpstreamSettings Resolve(
        RemoteProvider provider, string model, string? alias, string? configuredBaseUrl, string? configuredApiKey, Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(variable);
        var baseUrl = NonBlank(configuredBaseUrl) ?? NonBlank(variable(provider.BaseUrlVariable)) ?? provider.DefaultBaseUrl;
        if (!Uri.TryCreate(baseUrl.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"the base URL '{baseUrl}' for provider '{provider.Name}' is not an http(s) URL");
        }

        var apiKey = NonBlank(configuredApiKey) ?? (provider.ApiKeyVariable is { } name ? NonBlank(variable(name)) : null);
        return new UpstreamSettings
        {
            Provider = provider,
            BaseUrl = uri,
            ApiKey = apiKey,
            Model = model,
            ModelId = NonBlank(alias) ?? model,
        };
    }

    private static string? NonBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
