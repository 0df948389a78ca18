namespace AbstractEndpoint.Hub;

/// <summary>
/// Paths of one model repository inside the Hugging Face cache, exactly as huggingface_hub lays them out:
/// <code>
/// {hub}/models--{org}--{name}/refs/{revision}           commit hash, no newline
/// {hub}/models--{org}--{name}/snapshots/{commit}/{file}  relative symlink to ../../blobs/{blob}
/// {hub}/models--{org}--{name}/blobs/{blob}               content; LFS files are named by their sha256
/// {hub}/.locks/models--{org}--{name}/{blob}.lock         held while a blob is being written
/// </code>
/// </summary>
internal sealed class HubCacheLayout(string hubDirectory, string repoId)
{
    private const string FolderPrefix = "models--";
    private const string Separator = "--";

    public string HubDirectory { get; } = hubDirectory;

    public string RepoId { get; } = repoId;

    public string RepoDirectory => Path.Combine(HubDirectory, FolderName(RepoId));

    public string SnapshotsDirectory => Path.Combine(RepoDirectory, "snapshots");

    public string BlobsDirectory => Path.Combine(RepoDirectory, "blobs");

    /// <summary>The cache folder name of a repo id: <c>org/name</c> → <c>models--org--name</c>.</summary>
    public static string FolderName(string repoId) => FolderPrefix + repoId.Replace("/", Separator, StringComparison.Ordinal);

    /// <summary>The repo id of a cache folder name, or null when the folder is not a model repository.</summary>
    public static string? RepoIdFromFolderName(string folderName)
    {
        if (!folderName.StartsWith(FolderPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        // The hub forbids "--" inside names, which is why huggingface_hub can use it as the separator.
        var parts = folderName[FolderPrefix.Length..].Split(Separator);
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? $"{parts[0]}/{parts[1]}" : null;
    }

    public string RefPath(string revision) => Path.Combine(RepoDirectory, "refs", ToNativeSeparators(revision));

    public string SnapshotDirectory(string commit) => Path.Combine(SnapshotsDirectory, commit);

    public string SnapshotFile(string commit, string repoPath) =>
        Path.Combine(SnapshotDirectory(commit), ToNativeSeparators(repoPath));

    public string BlobPath(string blobName) => Path.Combine(BlobsDirectory, blobName);

    /// <summary>Where a blob grows while it downloads; kept after an interruption so the next run resumes.</summary>
    public string IncompleteBlobPath(string blobName) => BlobPath(blobName) + ".incomplete";

    public string LockPath(string blobName) => Path.Combine(HubDirectory, ".locks", FolderName(RepoId), blobName + ".lock");

    /// <summary>Repository paths always use '/', whatever the platform.</summary>
    public static string ToNativeSeparators(string repoPath) => repoPath.Replace('/', Path.DirectorySeparatorChar);
}
