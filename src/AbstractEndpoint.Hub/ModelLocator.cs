using System.Text;

namespace AbstractEndpoint.Hub;

/// <summary>
/// Turns a <see cref="ModelReference"/> into files on disk: a local path is checked, a repository is looked up in
/// the Hugging Face cache and, when absent and not offline, downloaded into it.
/// </summary>
public static class ModelLocator
{
    /// <summary>Resolves <paramref name="reference"/> to a loadable model.</summary>
    /// <param name="reference">What <c>--model</c> (and <c>--hf-file</c>) named.</param>
    /// <param name="options">Cache location, hub endpoint, token, offline mode.</param>
    /// <param name="progress">Receives download progress; null for silence. <see cref="DownloadProgressPrinter"/> draws it on stderr.</param>
    /// <param name="cancellationToken">Stops a download; the partial file is kept for the next run to resume.</param>
    /// <exception cref="ModelResolutionException">The model is missing, inaccessible, or failed to download or verify.</exception>
    public static async Task<ResolvedModel> ResolveAsync(
        ModelReference reference,
        HubOptions options,
        IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();

        if (reference.Kind == ModelReferenceKind.LocalFile)
        {
            return ResolveLocal(reference.LocalPath!);
        }

        var layout = new HubCacheLayout(options.CacheDirectory, reference.RepoId!);
        var cached = CachedSnapshot.Find(layout, reference.Revision);
        var cachedSelection = cached is null ? null : GgufFileSelector.Select(cached.GgufFiles, reference.Quant, reference.FileName);

        // A complete cached copy is used without asking the hub whether the branch moved on: startup stays fast
        // and works without a network. A newer revision is fetched only when the cache cannot serve the request.
        if (cached is not null && cachedSelection is not null && cachedSelection.Parts.All(cached.Contains))
        {
            var files = cachedSelection.Parts.Select(cached.PathOf).ToList();
            return new ResolvedModel(files[0], files, reference.RepoId, cached.Commit, Downloaded: false);
        }

        if (options.Offline)
        {
            throw NotAvailableOffline(reference, options, cached, cachedSelection);
        }

        return await HubModelDownloader.DownloadAsync(reference, layout, options, progress, cancellationToken).ConfigureAwait(false);
    }

    private static ResolvedModel ResolveLocal(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelResolutionException(ModelResolutionErrorKind.NotFound, $"Model file not found: {path}");
        }

        if (SplitGgufName.TryParse(Path.GetFileName(path)) is not { } split)
        {
            return new ResolvedModel(path, [path], null, null, Downloaded: false);
        }

        // llama.cpp opens the other parts itself, but a missing one is better reported now, by name.
        var directory = Path.GetDirectoryName(path)!;
        var parts = split.AllParts().Select(p => Path.Combine(directory, p)).ToList();
        var missing = parts.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ModelResolutionException(
                ModelResolutionErrorKind.NotFound,
                $"The split model {path} is incomplete: missing {string.Join(", ", missing)}.");
        }

        return new ResolvedModel(parts[0], parts, null, null, Downloaded: false);
    }

    private static ModelResolutionException NotAvailableOffline(
        ModelReference reference, HubOptions options, CachedSnapshot? cached, GgufModelFiles? cachedSelection)
    {
        var repoId = reference.RepoId!;
        var message = new StringBuilder()
            .Append($"'{reference}' is not in the Hugging Face cache at {options.CacheDirectory}, and HF_HUB_OFFLINE is set, so it was not downloaded.");
        if (cached is not null && cachedSelection is not null)
        {
            var missing = cachedSelection.Parts.Where(p => !cached.Contains(p));
            message.Append($" The cached copy of the split model '{cachedSelection.PrimaryFile}' lacks {string.Join(", ", missing)}.");
        }
        else if (cached is not null)
        {
            var list = HubErrors.ListGguf(cached.GgufFiles);
            message.Append(list is null
                ? $" The cached snapshot of '{repoId}' holds no .gguf files."
                : $" The cached snapshot of '{repoId}' holds: {list}.");
        }

        HubErrors.AppendSimilar(message, options.CacheDirectory, repoId);
        message.Append(" Unset HF_HUB_OFFLINE to download it.");
        return new ModelResolutionException(ModelResolutionErrorKind.NotFound, message.ToString());
    }
}
