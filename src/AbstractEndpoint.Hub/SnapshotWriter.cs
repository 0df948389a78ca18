namespace AbstractEndpoint.Hub;

/// <summary>
/// Publishes downloaded blobs the way huggingface_hub does, so Python tools find them: a relative symlink
/// <c>snapshots/{commit}/{file}</c> → <c>../../blobs/{blob}</c>, and <c>refs/{branch}</c> holding the commit.
/// </summary>
internal static class SnapshotWriter
{
    /// <param name="snapshotFile">The path inside <c>snapshots/{commit}/</c>.</param>
    /// <param name="blobPath">The blob it stands for.</param>
    /// <param name="blobIsNew">True when this run downloaded the blob, so no other snapshot can refer to it yet.</param>
    public static void Link(string snapshotFile, string blobPath, bool blobIsNew)
    {
        var directory = Path.GetDirectoryName(snapshotFile)!;
        Directory.CreateDirectory(directory);
        var existing = new FileInfo(snapshotFile);
        if (existing.Exists || existing.LinkTarget is not null)
        {
            File.Delete(snapshotFile); // A dangling link or a stale copy.
        }

        try
        {
            File.CreateSymbolicLink(snapshotFile, Path.GetRelativePath(directory, blobPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            // Windows without developer mode cannot create symlinks. As huggingface_hub does, a blob this run
            // downloaded moves into the snapshot (a copy would double the disk use of a multi-gigabyte model);
            // an older blob is copied, since another snapshot may still point at it.
            if (blobIsNew)
            {
                File.Move(blobPath, snapshotFile);
            }
            else
            {
                File.Copy(blobPath, snapshotFile);
            }
        }
    }

    /// <summary>
    /// Points <c>refs/{revision}</c> at <paramref name="commit"/>. A commit-hash revision needs no ref, and an
    /// unchanged ref is not rewritten (the cache may be shared read-only once populated).
    /// </summary>
    public static void WriteRef(HubCacheLayout layout, string revision, string commit)
    {
        var refPath = layout.RefPath(revision);
        if (RepoIdSyntax.IsCommitHash(revision) || (File.Exists(refPath) && File.ReadAllText(refPath) == commit))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
        var temporary = refPath + ".tmp";
        File.WriteAllText(temporary, commit); // No newline, like huggingface_hub.
        File.Move(temporary, refPath, overwrite: true);
    }

    /// <summary>
    /// Marks the hub directory as a cache (https://bford.info/cachedir/) so backup tools skip it, as huggingface_hub
    /// does. Best effort: a read-only or odd file system must not fail a download.
    /// </summary>
    public static void TagCacheDirectory(string hubDirectory)
    {
        var tag = Path.Combine(hubDirectory, "CACHEDIR.TAG");
        try
        {
            if (!File.Exists(tag))
            {
                Directory.CreateDirectory(hubDirectory);
                File.WriteAllText(tag, "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag.\n# For information about cache directory tags see https://bford.info/cachedir/\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
