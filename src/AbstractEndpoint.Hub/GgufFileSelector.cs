namespace AbstractEndpoint.Hub;

/// <summary>
/// Picks the model to load from a repository's file list. The same rules apply to a cached snapshot and to the
/// hub's listing, so a cache hit and a fresh download choose the same file.
/// </summary>
internal static class GgufFileSelector
{
    /// <summary>What most GGUF repositories recommend and llama.cpp picks by default.</summary>
    public const string DefaultQuant = "Q4_K_M";

    private const string ProjectorMarker = "mmproj";

    /// <summary>
    /// Selects by exact file when <paramref name="exactFile"/> is set, else by quant tag when
    /// <paramref name="quant"/> is set, else Q4_K_M, else the first model in ordinal order. Returns null when
    /// nothing matches. A requested quant that is absent is not replaced by another one: silently loading a
    /// different quant than asked for would be a surprise, so the caller reports what exists instead.
    /// </summary>
    public static GgufModelFiles? Select(IEnumerable<string> files, string? quant, string? exactFile)
    {
        var paths = files.Where(IsGguf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (exactFile is not null)
        {
            return SelectExact(paths, exactFile);
        }

        var wantsProjector = quant?.Contains(ProjectorMarker, StringComparison.OrdinalIgnoreCase) == true;
        var models = GroupModels(paths, includeProjectors: wantsProjector);
        if (quant is not null)
        {
            return FirstMatching(models, quant);
        }

        return FirstMatching(models, DefaultQuant) ?? models.FirstOrDefault();
    }

    /// <summary>
    /// The loadable models among <paramref name="files"/>: split parts collapse into one entry (listed under their
    /// first part, whether or not that part is present) and projector files are left out unless asked for.
    /// </summary>
    public static IReadOnlyList<GgufModelFiles> GroupModels(IEnumerable<string> files, bool includeProjectors = false)
    {
        var models = new Dictionary<string, GgufModelFiles>(StringComparer.Ordinal);
        foreach (var path in files.Where(IsGguf))
        {
            if (!includeProjectors && IsProjector(path))
            {
                continue;
            }

            var model = ModelContaining(path);
            models.TryAdd(model.PrimaryFile, model);
        }

        return [.. models.Values.OrderBy(m => m.PrimaryFile, StringComparer.Ordinal)];
    }

    /// <summary>
    /// True when <paramref name="path"/> names the quant <paramref name="quant"/>: case-insensitive, not glued to
    /// letters or digits before it, and not followed by a letter, digit or '_' (so Q4_K does not pick Q4_K_M).
    /// </summary>
    public static bool HasQuantToken(string path, string quant)
    {
        for (var start = path.IndexOf(quant, StringComparison.OrdinalIgnoreCase);
             start >= 0;
             start = path.IndexOf(quant, start + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = start + quant.Length;
            var cleanBefore = start == 0 || !char.IsLetterOrDigit(path[start - 1]);
            var cleanAfter = end == path.Length || (!char.IsLetterOrDigit(path[end]) && path[end] != '_');
            if (cleanBefore && cleanAfter)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsGguf(string path) => path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);

    public static bool IsProjector(string path) =>
        Path.GetFileName(path).Contains(ProjectorMarker, StringComparison.OrdinalIgnoreCase);

    private static GgufModelFiles? FirstMatching(IReadOnlyList<GgufModelFiles> models, string quant) =>
        models.FirstOrDefault(m => HasQuantToken(m.PrimaryFile, quant))
        ?? models.FirstOrDefault(m => m.PrimaryFile.Contains(quant, StringComparison.OrdinalIgnoreCase));

    private static GgufModelFiles? SelectExact(List<string> paths, string exactFile)
    {
        var wanted = exactFile.Replace('\\', '/').TrimStart('/');
        var found = paths.FirstOrDefault(p => p == wanted)
            ?? paths.FirstOrDefault(p => string.Equals(p, wanted, StringComparison.OrdinalIgnoreCase));
        if (found is null)
        {
            // --hf-file without its folder is fine as long as the name is unambiguous.
            var byName = paths.Where(p => string.Equals(Path.GetFileName(p), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            found = byName.Count == 1 ? byName[0] : null;
        }

        return found is null ? null : ModelContaining(found);
    }

    private static GgufModelFiles ModelContaining(string path) =>
        SplitGgufName.TryParse(path) is { } split
            ? new GgufModelFiles(split.PartPath(1), split.AllParts())
            : new GgufModelFiles(path, [path]);
}
