using System.Globalization;
using System.Net;
using System.Text;

namespace AbstractEndpoint.Hub;

/// <summary>
/// The user-facing messages for hub failures, in one place so they stay consistent: what failed, why it probably
/// failed, and the one thing to try next (HF_TOKEN, HF_HUB_OFFLINE, a different quant).
/// </summary>
internal static class HubErrors
{
    /// <summary>The hub's own classification of an error response (<c>X-Error-Code</c>).</summary>
    public static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Error-Code", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Maps a failed API or resolve response to an exception.</summary>
    public static ModelResolutionException FromResponse(
        HttpResponseMessage response, HubOptions options, string repoId, string revision, string? repoPath,
        IEnumerable<string>? availableGguf)
    {
        var status = (int)response.StatusCode;
        var code = ErrorCode(response);
        var what = repoPath is null ? $"repository '{repoId}'" : $"'{repoPath}' in '{repoId}'";

        // The hub answers 401 for a repository that does not exist (so private names do not leak); its error code
        // tells the two cases apart.
        if (code == "RepoNotFound" || (response.StatusCode == HttpStatusCode.NotFound && repoPath is null && code is null))
        {
            return RepositoryNotFound(options, repoId, status);
        }

        if (code == "RevisionNotFound")
        {
            return new ModelResolutionException(
                ModelResolutionErrorKind.NotFound,
                $"Revision '{revision}' of '{repoId}' was not found on {options.Endpoint} (HTTP {status}).");
        }

        if (code == "EntryNotFound" || response.StatusCode == HttpStatusCode.NotFound)
        {
            return FileNotFound(repoId, repoPath ?? "(unknown)", availableGguf ?? []);
        }

        if (code == "GatedRepo" || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return AccessDenied(options, what, status, gated: code == "GatedRepo");
        }

        return new ModelResolutionException(
            ModelResolutionErrorKind.Network,
            $"The hub at {options.Endpoint} answered HTTP {status} ({response.ReasonPhrase}) for {what}.");
    }

    public static ModelResolutionException RepositoryNotFound(HubOptions options, string repoId, int status)
    {
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Repository '{repoId}' was not found on {options.Endpoint} (HTTP {status}).");
        if (options.Token is null)
        {
            message.Append(" If it is private or gated, set HF_TOKEN to a token that can read it.");
        }

        AppendSimilar(message, options.CacheDirectory, repoId);
        return new ModelResolutionException(ModelResolutionErrorKind.NotFound, message.ToString());
    }

    public static ModelResolutionException AccessDenied(HubOptions options, string what, int status, bool gated)
    {
        var reason = gated
            ? "The repository is gated: accept its terms on the model page"
            : "The repository is gated or private";
        var tokenAdvice = options.Token is null
            ? "and set HF_TOKEN to an access token of an account that has access."
            : "and check that the token in HF_TOKEN (or HUGGING_FACE_HUB_TOKEN) is valid and has read access to it.";
        return new ModelResolutionException(
            ModelResolutionErrorKind.AccessDenied,
            $"Access to {what} was denied by {options.Endpoint} (HTTP {status}). {reason}, {tokenAdvice}");
    }

    public static ModelResolutionException FileNotFound(string repoId, string repoPath, IEnumerable<string> availableGguf) =>
        new(
            ModelResolutionErrorKind.NotFound,
            $"'{repoPath}' does not exist in '{repoId}'. {DescribeGguf(repoId, availableGguf)}");

    public static ModelResolutionException NoMatchingGguf(string repoId, ModelReference reference, IEnumerable<string> availableGguf)
    {
        var missing = reference.FileName is not null
            ? $"'{repoId}' has no file '{reference.FileName}'."
            : reference.Quant is not null ? $"'{repoId}' has no .gguf file for quant '{reference.Quant}'." : null;
        var available = DescribeGguf(repoId, availableGguf);
        return new ModelResolutionException(
            ModelResolutionErrorKind.NotFound,
            missing is null ? available : $"{missing} {available}");
    }

    public static ModelResolutionException Unreachable(HubOptions options, string repoId, Exception cause) =>
        new(
            ModelResolutionErrorKind.Network,
            $"Could not reach {options.Endpoint} to download '{repoId}': {Describe(cause)} " +
            $"Check the network (or HF_ENDPOINT), or set HF_HUB_OFFLINE=1 to use only models already in the cache at {options.CacheDirectory}.",
            cause);

    /// <summary>"Available .gguf files: a.gguf, b.gguf." or a note that there are none.</summary>
    public static string DescribeGguf(string repoId, IEnumerable<string> availableGguf) =>
        ListGguf(availableGguf) is { } list ? $"Available .gguf files: {list}." : $"'{repoId}' contains no .gguf files.";

    /// <summary>"a.gguf, b-00001-of-00002.gguf (+1 parts)": split parts shown once; null when there are none.</summary>
    public static string? ListGguf(IEnumerable<string> availableGguf)
    {
        var models = GgufFileSelector.GroupModels(availableGguf, includeProjectors: true);
        return models.Count == 0
            ? null
            : string.Join(", ", models.Select(m => m.Parts.Count > 1 ? $"{m.PrimaryFile} (+{m.Parts.Count - 1} parts)" : m.PrimaryFile));
    }

    /// <summary>Appends "Similar cached models: …" (or the cached models there are), if any.</summary>
    public static void AppendSimilar(StringBuilder message, string hubDirectory, string repoId)
    {
        var models = SimilarCachedModels.Find(hubDirectory, repoId, max: 5, out var similarOnly);
        if (models.Count > 0)
        {
            message.Append(similarOnly ? " Similar cached models: " : " Cached models: ")
                .AppendJoin(", ", models)
                .Append('.');
        }
    }

    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var text = innermost.Message.TrimEnd('.');
        return text.Length == 0 ? exception.GetType().Name + "." : text + ".";
    }
}
