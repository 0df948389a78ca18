namespace AbstractEndpoint.Hub;

/// <summary>
/// Finds cached GGUF repositories whose ids resemble a requested one, for "did you mean" hints when a model is
/// not available (a typo in the org, a missing "-GGUF" suffix, another size of the same family).
/// </summary>
internal static class SimilarCachedModels
{
    private const double MinimumSimilarity = 0.4;

    /// <summary>
    /// Repo ids of cached repositories with at least one .gguf, most similar first. When none resembles the request,
    /// <paramref name="similarOnly"/> is false and the result is simply the cached models (still worth naming).
    /// </summary>
    public static IReadOnlyList<string> Find(string hubDirectory, string requestedRepoId, int max, out bool similarOnly)
    {
        var cached = CachedGgufRepositories(hubDirectory)
            .Where(id => !string.Equals(id, requestedRepoId, StringComparison.OrdinalIgnoreCase))
            .Select(id => (Id: id, Score: Similarity(requestedRepoId, id)))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();

        var similar = cached.Where(c => c.Score >= MinimumSimilarity).Take(max).Select(c => c.Id).ToList();
        similarOnly = similar.Count > 0;
        return similarOnly ? similar : [.. cached.Take(max).Select(c => c.Id).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// 1 for identical ids, towards 0 for unrelated ones: mostly the better of the whole id and the name part alone
    /// (so another org's copy of the same model ranks high), raised when one name contains the other; a tenth is
    /// the whole id's likeness, so the same org ranks first among equally named models.
    /// </summary>
    public static double Similarity(string requested, string candidate)
    {
        var a = requested.ToLowerInvariant();
        var b = candidate.ToLowerInvariant();
        var nameA = a[(a.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var nameB = b[(b.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var whole = Ratio(a, b);
        var score = Math.Max(whole, Ratio(nameA, nameB));
        if (nameA.Length >= 3 && nameB.Length >= 3 && (nameA.Contains(nameB, StringComparison.Ordinal) || nameB.Contains(nameA, StringComparison.Ordinal)))
        {
            score = Math.Max(score, 0.8);
        }

        return (0.9 * score) + (0.1 * whole);
    }

    /// <summary>Repo ids of the cache's model folders that hold a .gguf in some snapshot.</summary>
    public static IEnumerable<string> CachedGgufRepositories(string hubDirectory)
    {
        if (!Directory.Exists(hubDirectory))
        {
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(hubDirectory, "models--*"))
        {
            var repoId = HubCacheLayout.RepoIdFromFolderName(Path.GetFileName(folder));
            var snapshots = Path.Combine(folder, "snapshots");
            if (repoId is not null && Directory.Exists(snapshots)
                && Directory.EnumerateFiles(snapshots, "*.gguf", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive }).Any())
            {
                yield return repoId;
            }
        }
    }

    private static double Ratio(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        return longest == 0 ? 1 : 1 - ((double)EditDistance(a, b) / longest);
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
