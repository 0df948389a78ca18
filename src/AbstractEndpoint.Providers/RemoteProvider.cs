namespace AbstractEndpoint.Providers;

/// <summary>
/// One provider a remote model can be served from: where it usually listens and which environment variables its
/// own tools read (the names AbstractCore reads), so a user's existing setup works unchanged.
/// </summary>
/// <param name="Name">The <c>--provider</c> value.</param>
/// <param name="DefaultBaseUrl">Its usual API root (ending in <c>/v1</c>).</param>
/// <param name="BaseUrlVariable">Its own base-URL variable (<c>OLLAMA_BASE_URL</c>…).</param>
/// <param name="ApiKeyVariable">Its own credential variable; null for a local server that needs none.</param>
/// <param name="KeyHeader">The header the credential goes in: <c>Authorization</c> (as a bearer token) or the provider's own.</param>
/// <param name="Api">The API its chat is spoken in.</param>
public sealed record RemoteProvider(
    string Name, string DefaultBaseUrl, string BaseUrlVariable, string? ApiKeyVariable, string KeyHeader = "Authorization", RemoteApi Api = RemoteApi.OpenAIChat);
