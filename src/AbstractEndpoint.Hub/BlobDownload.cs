namespace AbstractEndpoint.Hub;

/// <summary>One file to fetch into <c>blobs/</c>.</summary>
/// <param name="RepoId">The repository.</param>
/// <param name="Commit">The commit to resolve the file at, so all parts of a model come from the same one.</param>
/// <param name="File">The file with its expected size and sha256.</param>
/// <param name="BlobPath">The final blob path; the transfer writes <c>{BlobPath}.incomplete</c> first.</param>
/// <param name="LockPath">The inter-process lock guarding the blob.</param>
/// <param name="FileIndex">1-based position among the files of this resolution, for progress.</param>
/// <param name="FileCount">Number of files of this resolution, for progress.</param>
/// <param name="AvailableGguf">The repository's .gguf files, to list if the hub says the file does not exist.</param>
internal sealed record BlobDownload(
    string RepoId,
    string Commit,
    RemoteFile File,
    string BlobPath,
    string LockPath,
    int FileIndex,
    int FileCount,
    IReadOnlyList<string> AvailableGguf)
{
    public string IncompletePath => BlobPath + ".incomplete";
}
