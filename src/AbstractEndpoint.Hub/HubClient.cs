using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AbstractEndpoint.Hub;

/// <summary>
/// The two hub endpoints model resolution needs: the revision listing (commit, files, sizes, sha256) and the
/// <c>/resolve/</c> download route. Redirects are followed by hand so the hub's headers on the first hop can be
/// read and so the access token is never forwarded to the CDN host the hub redirects to (presigned URLs reject
/// a second credential, and the token is not theirs to see).
/// </summary>
internal sealed class HubClient : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly HttpClient _http;
    private readonly HubOptions _options;

    public HubClient(HubOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = options.RequestTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        };

        // Downloads take as long as they take; stalls are detected per read instead (HubOptions.StallTimeout).
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("AbstractEndpoint", "1.0"));
    }

    /// <summary><c>GET {endpoint}/api/models/{repo}/revision/{revision}?blobs=true</c>.</summary>
    public async Task<RepoRevision> GetRevisionAsync(string repoId, string revision, CancellationToken cancellationToken)
    {
        var url = new Uri($"{EndpointBase}/api/models/{EscapeRepoId(repoId)}/revision/{Uri.EscapeDataString(revision)}?blobs=true");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);

        using var response = await SendAsync(HttpMethod.Get, url, rangeStart: null, timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw HubErrors.FromResponse(response, _options, repoId, revision, repoPath: null, availableGguf: null);
        }

        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: timeout.Token).ConfigureAwait(false);
        return ParseRevision(json.RootElement);
    }

    /// <summary>
    /// <c>GET {endpoint}/{repo}/resolve/{revision}/{path}</c>, following redirects, from byte
    /// <paramref name="rangeStart"/> when it is positive. The response is returned whatever its status; the body is
    /// not yet read. <see cref="ResolveMetadata"/> comes from the hop that carried the hub's headers. With
    /// <paramref name="followRedirects"/> false the hub's own answer is returned, to read its headers cheaply.
    /// </summary>
    public async Task<(HttpResponseMessage Response, ResolveMetadata Metadata)> OpenFileAsync(
        string repoId, string revision, string repoPath, long rangeStart, CancellationToken cancellationToken,
        bool followRedirects = true)
    {
        var url = ResolveUrl(repoId, revision, repoPath);
        ResolveMetadata? metadata = null;
        for (var hop = 0; ; hop++)
        {
            var response = await SendAsync(HttpMethod.Get, url, rangeStart > 0 ? rangeStart : null, cancellationToken).ConfigureAwait(false);
            if (metadata is null && response.Headers.Contains("X-Repo-Commit"))
            {
                metadata = ResolveMetadata.From(response);
            }

            if (!followRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return (response, metadata ?? ResolveMetadata.From(response));
            }

            response.Dispose();
            if (hop == MaxRedirects)
            {
                throw new ModelResolutionException(
                    ModelResolutionErrorKind.Network, $"Too many redirects while downloading '{repoPath}' from '{repoId}'.");
            }

            url = new Uri(url, location);
        }
    }

    public Uri ResolveUrl(string repoId, string revision, string repoPath) =>
        new($"{EndpointBase}/{EscapeRepoId(repoId)}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', repoPath.Split('/').Select(Uri.EscapeDataString))}");

    public void Dispose() => _http.Dispose();

    public static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    internal static RepoRevision ParseRevision(JsonElement root)
    {
        var commit = root.TryGetProperty("sha", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null;
        var files = new List<RemoteFile>();
        if (root.TryGetProperty("siblings", out var siblings) && siblings.ValueKind == JsonValueKind.Array)
        {
            foreach (var sibling in siblings.EnumerateArray())
            {
                if (String(sibling, "rfilename") is not { } path)
                {
                    continue;
                }

                var lfs = sibling.TryGetProperty("lfs", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
                var size = (lfs is { } lfsSize ? Int64(lfsSize, "size") : null) ?? Int64(sibling, "size");
                var sha256 = lfs is { } lfsSha ? String(lfsSha, "sha256") : null;
                files.Add(new RemoteFile(path, size, sha256?.ToLowerInvariant(), String(sibling, "blobId")));
            }
        }

        return new RepoRevision(commit, files);
    }

    private string EndpointBase => _options.Endpoint.AbsoluteUri.TrimEnd('/');

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, long? rangeStart, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (_options.Token is not null && IsHubHost(url))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        }

        if (rangeStart is { } start)
        {
            request.Headers.Range = new RangeHeaderValue(start, null);
        }

        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private bool IsHubHost(Uri url) =>
        Uri.Compare(url, _options.Endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static string EscapeRepoId(string repoId) => string.Join('/', repoId.Split('/').Select(Uri.EscapeDataString));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
