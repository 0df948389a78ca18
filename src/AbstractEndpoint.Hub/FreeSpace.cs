using System.Globalization;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Checks the cache's volume can hold a download before it starts, so a multi-gigabyte model does not fail near
/// the end with "no space left on device" (and get retried pointlessly).
/// </summary>
internal static class FreeSpace
{
    public static void EnsureRoomFor(HubCacheLayout layout, IEnumerable<RemoteFile> files)
    {
        var needed = files.Sum(f => Math.Max(0, (f.Size ?? 0) - PartialLength(layout, f)));
        var available = AvailableBytes(layout.HubDirectory);
        if (available is { } free && free < needed)
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.Storage,
                string.Create(CultureInfo.InvariantCulture, $"Not enough disk space for '{layout.RepoId}': it needs {ByteSize.Format(needed)}, ") +
                $"and {layout.HubDirectory} has {ByteSize.Format(free)} free. Free some space or point HF_HUB_CACHE at a larger disk.");
        }
    }

    private static long PartialLength(HubCacheLayout layout, RemoteFile file)
    {
        var partial = new FileInfo(layout.IncompleteBlobPath(file.BlobName!));
        return partial.Exists ? partial.Length : 0;
    }

    /// <summary>Free bytes on the volume holding <paramref name="directory"/>, or null when that cannot be told.</summary>
    private static long? AvailableBytes(string directory)
    {
        try
        {
            // The nearest existing ancestor: the cache folder itself may not exist before the first download.
            var existing = new DirectoryInfo(directory);
            while (existing is { Exists: false })
            {
                existing = existing.Parent;
            }

            if (existing is null)
            {
                return null;
            }

            // On Unix any path names its volume (statvfs); Windows wants the drive root.
            var drive = new DriveInfo(OperatingSystem.IsWindows() ? Path.GetPathRoot(existing.FullName)! : existing.FullName);
            return drive.AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
