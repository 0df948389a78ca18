using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Downloads one blob resumably and verifies it. Bytes go to <c>blobs/{sha}.incomplete</c>; a dropped or stalled
/// connection is retried with <c>Range: bytes=N-</c> from what is already on disk, and an interrupted run leaves the
/// file there for the next run to continue. Only a file whose size and sha256 match what the hub reported is
/// renamed to <c>blobs/{sha}</c>.
/// </summary>
internal sealed class BlobDownloader(HubClient client, HubOptions options, IProgress<DownloadProgress>? progress)
{
    private const int BufferSize = 1 << 20;

    public async Task DownloadAsync(BlobDownload job, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(job.BlobPath)!);
        using var blobLock = await BlobLock.AcquireAsync(job.LockPath, cancellationToken).ConfigureAwait(false);
        if (CachedSnapshot.HasContent(job.BlobPath))
        {
            return; // Another process finished it while we waited for the lock.
        }

        var tracker = new DownloadProgressTracker(progress, job.File.Path, job.FileIndex, job.FileCount, job.File.Size);
        byte[] sha256;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                sha256 = await TransferAsync(job, tracker, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception failure) when (IsTransient(failure, cancellationToken))
            {
                if (attempt >= options.MaxDownloadAttempts)
                {
                    throw Interrupted(job, failure, attempt);
                }

                var delay = options.RetryDelay * Math.Pow(2, attempt - 1);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        var length = new FileInfo(job.IncompletePath).Length;
        Verify(job, length, Convert.ToHexStringLower(sha256));
        File.Move(job.IncompletePath, job.BlobPath, overwrite: true);
        tracker.Complete(length);
    }

    /// <summary>One attempt: continue the partial file to the end and return the sha256 of the whole file.</summary>
    private async Task<byte[]> TransferAsync(BlobDownload job, DownloadProgressTracker tracker, CancellationToken cancellationToken)
    {
        var expectedSize = job.File.Size;
        var existing = File.Exists(job.IncompletePath) ? new FileInfo(job.IncompletePath).Length : 0;
        if (existing > expectedSize)
        {
            File.Delete(job.IncompletePath); // Longer than the file can be: not a prefix of it.
            existing = 0;
        }

        if (existing > 0 && existing == expectedSize)
        {
            // A previous run received every byte but stopped before verifying.
            tracker.StartAttempt(existing);
            return await HashPrefixAsync(job.IncompletePath, existing, cancellationToken).ConfigureAwait(false);
        }

        using var headerTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headerTimeout.CancelAfter(options.RequestTimeout);
        var (response, _) = await client.OpenFileAsync(job.RepoId, job.Commit, job.File.Path, existing, headerTimeout.Token).ConfigureAwait(false);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(job.IncompletePath);
                throw new IOException("The server refused to resume the partial download; starting over.");
            }

            if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // Overload or a hiccup behind the CDN: worth another attempt, like a dropped connection.
                throw new HttpRequestException(
                    $"The server answered HTTP {(int)response.StatusCode} ({response.ReasonPhrase}).", null, response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw HubErrors.FromResponse(response, options, job.RepoId, job.Commit, job.File.Path, job.AvailableGguf);
            }

            var start = StartOffset(response, existing, job.IncompletePath);
            await using var file = new FileStream(
                job.IncompletePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
            file.SetLength(start);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            await HashExistingAsync(file, start, hash, buffer, cancellationToken).ConfigureAwait(false);

            tracker.StartAttempt(start);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                stall.CancelAfter(options.StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"No data arrived for {options.StallTimeout.TotalSeconds:0} s.");
                }

                if (read == 0)
                {
                    break;
                }

                // Written unbuffered, so whatever arrived before a failure is on disk for the resume.
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                hash.AppendData(buffer, 0, read);
                tracker.Advance(read);
            }

            if (file.Length < expectedSize)
            {
                throw new IOException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The connection closed after {file.Length} of {expectedSize} bytes."));
            }

            return hash.GetHashAndReset();
        }
    }

    /// <summary>
    /// Where the response body starts in the file: the resume offset for a matching 206, 0 for a 200 (a server
    /// that ignores Range sends everything, so the partial file is discarded).
    /// </summary>
    private static long StartOffset(HttpResponseMessage response, long requested, string incompletePath)
    {
        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            return 0;
        }

        var from = response.Content.Headers.ContentRange?.From;
        if (from != requested)
        {
            File.Delete(incompletePath); // The next attempt starts clean rather than asking for the same range again.
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"Asked to resume at byte {requested} but the server sent a range starting at {from?.ToString(CultureInfo.InvariantCulture) ?? "?"}."));
        }

        return requested;
    }

    private static async Task HashExistingAsync(FileStream file, long length, IncrementalHash hash, byte[] buffer, CancellationToken cancellationToken)
    {
        file.Position = 0;
        for (var remaining = length; remaining > 0;)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }

        file.Position = length;
    }

    private static async Task<byte[]> HashPrefixAsync(string path, long length, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await HashExistingAsync(file, length, hash, new byte[BufferSize], cancellationToken).ConfigureAwait(false);
        return hash.GetHashAndReset();
    }

    private static void Verify(BlobDownload job, long length, string sha256)
    {
        string? problem = null;
        if (job.File.Size is { } size && length != size)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"it has {length} bytes, the hub reports {size}");
        }
        else if (job.File.Sha256 is { } expected && !string.Equals(expected, sha256, StringComparison.OrdinalIgnoreCase))
        {
            problem = $"its sha256 is {sha256}, the hub reports {expected}";
        }

        if (problem is not null)
        {
            File.Delete(job.IncompletePath);
            throw new ModelResolutionException(
                ModelResolutionErrorKind.Integrity,
                $"The download of '{job.File.Path}' from '{job.RepoId}' is corrupt: {problem}. The partial file was deleted; " +
                "run again to download it afresh. If this repeats, a proxy or mirror (HF_ENDPOINT) may be altering the file.");
        }
    }

    private static bool IsTransient(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        ModelResolutionException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        IOException or HttpRequestException or TimeoutException => true,
        _ => false,
    };

    private ModelResolutionException Interrupted(BlobDownload job, Exception failure, int attempts)
    {
        var have = File.Exists(job.IncompletePath) ? new FileInfo(job.IncompletePath).Length : 0;
        var of = job.File.Size is { } size ? $" of {ByteSize.Format(size)}" : string.Empty;
        return new ModelResolutionException(
            ModelResolutionErrorKind.Network,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The download of '{job.File.Path}' from '{job.RepoId}' failed after {attempts} attempt(s): {failure.Message} ") +
            $"{ByteSize.Format(have)}{of} are kept in {job.IncompletePath}; run again to resume. " +
            $"To run without the network, set HF_HUB_OFFLINE=1 (only models already in {options.CacheDirectory} are used).",
            failure);
    }
}
