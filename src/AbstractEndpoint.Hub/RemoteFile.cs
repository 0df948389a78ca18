namespace AbstractEndpoint.Hub;

/// <summary>A file in a hub repository as the API lists it.</summary>
/// <param name="Path">Repository path, '/'-separated.</param>
/// <param name="Size">Size in bytes (the LFS object's size for LFS files).</param>
/// <param name="Sha256">The LFS sha256, which is also the blob's name in the cache; null for non-LFS files.</param>
/// <param name="GitBlobId">The git object id, the blob name huggingface_hub uses for non-LFS files.</param>
internal sealed record RemoteFile(string Path, long? Size, string? Sha256, string? GitBlobId)
{
    /// <summary>The file's name under <c>blobs/</c>, or null when the listing gave neither hash.</summary>
    public string? BlobName => Sha256 ?? GitBlobId;
}
