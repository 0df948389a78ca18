namespace AbstractEndpoint.Hub;

/// <summary>A repository at one commit, as listed by <c>GET /api/models/{repo}/revision/{revision}?blobs=true</c>.</summary>
/// <param name="Commit">The commit the revision points at (the API's <c>sha</c>).</param>
/// <param name="Files">Every file in the repository (the API's <c>siblings</c>).</param>
internal sealed record RepoRevision(string? Commit, IReadOnlyList<RemoteFile> Files)
{
    public IEnumerable<string> GgufPaths => Files.Select(f => f.Path).Where(GgufFileSelector.IsGguf);

    public RemoteFile? Find(string repoPath) => Files.FirstOrDefault(f => f.Path == repoPath);
}
