namespace AbstractEndpoint.Hub;

/// <summary>
/// An exclusive lock on a blob across processes, at the path huggingface_hub uses
/// (<c>.locks/models--org--name/{blob}.lock</c>). On Unix, .NET takes <c>FileShare.None</c> as an advisory
/// <c>flock</c>, the same primitive Python's filelock uses, so two servers, or a server and a Python download,
/// never write the same <c>.incomplete</c> file at once.
/// </summary>
internal static class BlobLock
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static async Task<IDisposable> AcquireAsync(string lockPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Held by another download of the same blob; it will either finish (and we find the blob) or die
                // (and the lock is released with its process).
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
