namespace AbstractEndpoint.Hub;

/// <summary>
/// What the hub's <c>/resolve/</c> route says about a file in its headers, before it redirects to the CDN:
/// <c>X-Repo-Commit</c>, <c>X-Linked-Etag</c> (the LFS sha256, quoted) and <c>X-Linked-Size</c>, falling back to
/// <c>ETag</c> and <c>Content-Length</c> for small files served directly.
/// </summary>
internal sealed record ResolveMetadata(string? Commit, string? Etag, long? Size)
{
    public static ResolveMetadata From(HttpResponseMessage response)
    {
        var etag = Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag ?? Header(response, "ETag");
        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : (long?)null;
        return new ResolveMetadata(Header(response, "X-Repo-Commit"), NormalizeEtag(etag), size);
    }

    /// <summary>Strips the weak marker and quotes: <c>W/"abc"</c> → <c>abc</c>.</summary>
    public static string? NormalizeEtag(string? etag)
    {
        if (string.IsNullOrWhiteSpace(etag))
        {
            return null;
        }

        var value = etag.Trim();
        if (value.StartsWith("W/", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        return value.Trim('"');
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
