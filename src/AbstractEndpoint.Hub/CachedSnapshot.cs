namespace AbstractEndpoint.Hub;

/// <summary>A revision of a repository as it is present in the local cache.</summary>
/// <param name="Commit">The snapshot's commit hash (its folder name).</param>
/// <param name="Directory">The snapshot folder.</param>
/// <param name="GgufFiles">The .gguf files whose content is really on disk, as repository paths.</param>
internal sealed record CachedSnapshot(string Commit, string Directory, IReadOnlyList<string> GgufFiles)
{
    /// <summary>
    /// Finds the snapshot for <paramref name="revision"/>: a commit hash names its folder directly, a branch or tag
    /// goes through <c>refs/</c>. A cache without <c>refs/main</c> (copied by hand, or written by an older tool)
    /// falls back to the most recently written snapshot, since that is the one a person would expect.
    /// </summary>
    public static CachedSnapshot? Find(HubCacheLayout layout, string revision)
    {
        var commit = RepoIdSyntax.IsCommitHash(revision) ? revision : ReadRef(layout, revision);
        if (commit is null && revision == ModelReference.DefaultRevision)
        {
            commit = NewestSnapshot(layout);
        }

        if (commit is null)
        {
            return null;
        }

        var directory = layout.SnapshotDirectory(commit);
        return System.IO.Directory.Exists(directory) ? new CachedSnapshot(commit, directory, ListGguf(directory)) : null;
    }

    /// <summary>The absolute path of a repository file inside this snapshot.</summary>
    public string PathOf(string repoPath) => Path.Combine(Directory, HubCacheLayout.ToNativeSeparators(repoPath));

    /// <summary>True when the repository file is present with readable content (not a dangling symlink).</summary>
    public bool Contains(string repoPath) => HasContent(PathOf(repoPath));

    /// <summary>A file, or a symlink whose final target is a file.</summary>
    public static bool HasContent(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return info.Exists;
        }

        try
        {
            return info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true };
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string? ReadRef(HubCacheLayout layout, string revision)
    {
        var refPath = layout.RefPath(revision);
        try
        {
            return File.Exists(refPath) && File.ReadAllText(refPath).Trim() is { Length: > 0 } commit ? commit : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string? NewestSnapshot(HubCacheLayout layout)
    {
        var snapshots = new DirectoryInfo(layout.SnapshotsDirectory);
        return snapshots.Exists
            ? snapshots.EnumerateDirectories().OrderByDescending(d => d.LastWriteTimeUtc).FirstOrDefault()?.Name
            : null;
    }

    private static List<string> ListGguf(string directory) =>
    [
        .. System.IO.Directory
            .EnumerateFiles(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Where(GgufFileSelector.IsGguf)
            .Where(HasContent)
            .Select(p => Path.GetRelativePath(directory, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal),
    ];
}
