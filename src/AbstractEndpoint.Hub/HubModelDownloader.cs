using System.Text.Json;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Resolves a repository reference against the hub: lists the revision, picks the model's files with the same
/// rules as the cache lookup, downloads whatever the cache lacks, and publishes it in the cache layout.
/// </summary>
internal static class HubModelDownloader
{
    public static async Task<ResolvedModel> DownloadAsync(
        ModelReference reference, HubCacheLayout layout, HubOptions options, IProgress<DownloadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var repoId = layout.RepoId;
        using var client = new HubClient(options);
        var revision = await GetRevisionAsync(client, reference, options, repoId, cancellationToken).ConfigureAwait(false);
        var available = revision.GgufPaths.ToList();
        var selection = GgufFileSelector.Select(available, reference.Quant, reference.FileName)
            ?? throw HubErrors.NoMatchingGguf(repoId, reference, available);

        var missingParts = selection.Parts.Where(p => revision.Find(p) is null).ToList();
        if (missingParts.Count > 0)
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.NotFound,
                $"The split model '{selection.PrimaryFile}' in '{repoId}' is incomplete on the hub: missing {string.Join(", ", missingParts)}.");
        }

        var commit = revision.Commit
            ?? (await ProbeAsync(client, options, repoId, reference.Revision, selection.PrimaryFile, available, cancellationToken).ConfigureAwait(false)).Commit
            ?? throw new ModelResolutionException(
                ModelResolutionErrorKind.Network,
                $"{options.Endpoint} did not report which commit '{reference.Revision}' of '{repoId}' is.");

        try
        {
            var downloaded = await FetchMissingAsync(client, options, progress, layout, revision, commit, selection, available, cancellationToken).ConfigureAwait(false);
            SnapshotWriter.WriteRef(layout, reference.Revision, commit);
            var files = selection.Parts.Select(p => layout.SnapshotFile(commit, p)).ToList();
            return new ResolvedModel(files[0], files, repoId, commit, downloaded);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.Storage,
                $"Cannot write to the Hugging Face cache at {options.CacheDirectory} ({e.Message}). " +
                "Set HF_HUB_CACHE (or HF_HOME) to a writable folder.",
                e);
        }
    }

    /// <summary>Downloads and links the parts the snapshot lacks; true when anything came over the network.</summary>
    private static async Task<bool> FetchMissingAsync(
        HubClient client, HubOptions options, IProgress<DownloadProgress>? progress, HubCacheLayout layout, RepoRevision revision,
        string commit, GgufModelFiles selection, IReadOnlyList<string> available, CancellationToken cancellationToken)
    {
        var repoId = layout.RepoId;
        var toDownload = selection.Parts.Where(p => !CachedSnapshot.HasContent(layout.SnapshotFile(commit, p))).ToList();
        var remoteFiles = new List<RemoteFile>();
        foreach (var path in toDownload)
        {
            remoteFiles.Add(await WithBlobNameAsync(client, options, repoId, commit, revision.Find(path)!, available, cancellationToken).ConfigureAwait(false));
        }

        var missingBlobs = remoteFiles.Where(f => !CachedSnapshot.HasContent(layout.BlobPath(f.BlobName!))).ToList();
        if (missingBlobs.Count > 0)
        {
            SnapshotWriter.TagCacheDirectory(layout.HubDirectory);
            FreeSpace.EnsureRoomFor(layout, missingBlobs);
        }

        var downloader = new BlobDownloader(client, options, progress);
        foreach (var file in remoteFiles)
        {
            var blobPath = layout.BlobPath(file.BlobName!);
            var index = missingBlobs.IndexOf(file);
            var isNew = index >= 0;
            if (isNew)
            {
                var job = new BlobDownload(repoId, commit, file, blobPath, layout.LockPath(file.BlobName!), index + 1, missingBlobs.Count, available);
                await downloader.DownloadAsync(job, cancellationToken).ConfigureAwait(false);
            }

            SnapshotWriter.Link(layout.SnapshotFile(commit, file.Path), blobPath, blobIsNew: isNew);
        }

        return missingBlobs.Count > 0;
    }

    private static async Task<RepoRevision> GetRevisionAsync(
        HubClient client, ModelReference reference, HubOptions options, string repoId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetRevisionAsync(repoId, reference.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw HubErrors.Unreachable(options, repoId, e);
        }
        catch (JsonException e)
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.Network,
                $"{options.Endpoint} answered the file listing of '{repoId}' with something that is not JSON; is HF_ENDPOINT a Hugging Face hub?",
                e);
        }
    }

    /// <summary>
    /// A listing without LFS details (a minimal mirror) leaves the blob name unknown; the resolve route's
    /// <c>X-Linked-Etag</c>/<c>ETag</c> header supplies it, and a sha256-shaped etag doubles as the checksum.
    /// </summary>
    private static async Task<RemoteFile> WithBlobNameAsync(
        HubClient client, HubOptions options, string repoId, string commit, RemoteFile file, IReadOnlyList<string> available,
        CancellationToken cancellationToken)
    {
        if (file.Sha256 is not null)
        {
            return file;
        }

        var metadata = await ProbeAsync(client, options, repoId, commit, file.Path, available, cancellationToken).ConfigureAwait(false);
        var etagIsSha256 = metadata.Etag is { Length: 64 } etag && etag.All(char.IsAsciiHexDigit);
        var named = file with
        {
            Size = file.Size ?? metadata.Size,
            Sha256 = etagIsSha256 ? metadata.Etag!.ToLowerInvariant() : null,
            GitBlobId = file.GitBlobId ?? metadata.Etag,
        };
        return named.BlobName is not null
            ? named
            : throw new ModelResolutionException(
                ModelResolutionErrorKind.Network,
                $"{options.Endpoint} gave no checksum or etag for '{file.Path}' in '{repoId}', so it cannot be cached safely.");
    }

    /// <summary>Reads the resolve route's headers without downloading the body.</summary>
    private static async Task<ResolveMetadata> ProbeAsync(
        HubClient client, HubOptions options, string repoId, string revision, string repoPath, IReadOnlyList<string> available,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            var (response, metadata) = await client.OpenFileAsync(repoId, revision, repoPath, 0, timeout.Token, followRedirects: false).ConfigureAwait(false);
            using (response)
            {
                return response.IsSuccessStatusCode || HubClient.IsRedirect(response.StatusCode)
                    ? metadata
                    : throw HubErrors.FromResponse(response, options, repoId, revision, repoPath, available);
            }
        }
        catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
        {
            throw HubErrors.Unreachable(options, repoId, e);
        }
    }

    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
