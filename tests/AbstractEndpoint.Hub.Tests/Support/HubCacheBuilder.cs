using AbstractEndpoint.TestSupport.LocalHub;

namespace AbstractEndpoint.Hub.Tests.Support;

/// <summary>
/// Writes a Hugging Face cache the way huggingface_hub does (blobs named by sha256, relative symlinks from the
/// snapshot, refs/main), independently of the code under test, so the tests check compatibility rather than
/// round-tripping our own writer.
/// </summary>
internal sealed class HubCacheBuilder(string hubDirectory)
{
    public string HubDirectory { get; } = hubDirectory;

    public string RepoDirectory(string repoId) => Path.Combine(HubDirectory, "models--" + repoId.Replace("/", "--"));

    /// <summary>Adds a snapshot; returns its folder.</summary>
    public string AddSnapshot(string repoId, string commit, IEnumerable<string> files, bool symlinks = true, bool writeRef = true)
    {
        var repo = RepoDirectory(repoId);
        var snapshot = Path.Combine(repo, "snapshots", commit);
        var seed = 0;
        foreach (var file in files)
        {
            var content = TestData.Bytes(64, seed++ ^ file.GetHashCode(StringComparison.Ordinal));
            var target = Path.Combine(snapshot, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (symlinks)
            {
                var blob = Path.Combine(repo, "blobs", TestData.Sha256(content));
                Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
                File.WriteAllBytes(blob, content);
                File.CreateSymbolicLink(target, Path.GetRelativePath(Path.GetDirectoryName(target)!, blob));
            }
            else
            {
                File.WriteAllBytes(target, content);
            }
        }

        Directory.CreateDirectory(snapshot);
        if (writeRef)
        {
            Directory.CreateDirectory(Path.Combine(repo, "refs"));
            File.WriteAllText(Path.Combine(repo, "refs", "main"), commit);
        }

        return snapshot;
    }
}
