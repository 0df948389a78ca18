namespace AbstractEndpoint.Hub;

/// <summary>
/// A parsed <c>--model</c> value: either a local <c>.gguf</c> file or a Hugging Face repository with an optional
/// quant tag (<c>org/name:Q4_K_M</c>) or exact file (<c>--hf-file</c>).
/// </summary>
public sealed class ModelReference
{
    /// <summary>The branch used when none is given, as in huggingface_hub.</summary>
    public const string DefaultRevision = "main";

    private ModelReference(
        ModelReferenceKind kind, string? localPath, string? repoId, string? quant, string? fileName, string revision)
    {
        Kind = kind;
        LocalPath = localPath;
        RepoId = repoId;
        Quant = quant;
        FileName = fileName;
        Revision = revision;
    }

    public ModelReferenceKind Kind { get; }

    /// <summary>The absolute path of a local model, for <see cref="ModelReferenceKind.LocalFile"/>.</summary>
    public string? LocalPath { get; }

    /// <summary><c>org/name</c>, for <see cref="ModelReferenceKind.HubRepository"/>.</summary>
    public string? RepoId { get; }

    /// <summary>The quant tag after the colon (<c>Q4_K_M</c>), if any.</summary>
    public string? Quant { get; }

    /// <summary>An exact file inside the repository (<c>--hf-file</c>), if any.</summary>
    public string? FileName { get; }

    /// <summary>The branch, tag or commit to use; <see cref="DefaultRevision"/> unless set.</summary>
    public string Revision { get; }

    /// <summary>Parses <c>--model</c> (and <c>--hf-file</c>) relative to the current directory and user home.</summary>
    /// <exception cref="ModelResolutionException">The value is neither an existing file nor a repo id, or names a
    /// missing <c>.gguf</c> file.</exception>
    public static ModelReference Parse(string model, string? hfFile = null, string? revision = null) =>
        Parse(
            model,
            hfFile,
            revision,
            Environment.CurrentDirectory,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>A reference to a local file, bypassing parsing.</summary>
    public static ModelReference ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ModelReference(ModelReferenceKind.LocalFile, Path.GetFullPath(path), null, null, null, DefaultRevision);
    }

    /// <summary>A reference to a hub repository, bypassing parsing.</summary>
    public static ModelReference ForRepository(
        string repoId, string? quant = null, string? fileName = null, string? revision = null)
    {
        if (!RepoIdSyntax.IsRepoId(repoId))
        {
            throw new ArgumentException($"'{repoId}' is not a repo id of the form org/name.", nameof(repoId));
        }

        return new ModelReference(
            ModelReferenceKind.HubRepository,
            null,
            repoId,
            string.IsNullOrWhiteSpace(quant) ? null : quant,
            string.IsNullOrWhiteSpace(fileName) ? null : fileName.Replace('\\', '/'),
            string.IsNullOrWhiteSpace(revision) ? DefaultRevision : revision);
    }

    /// <summary>The reference as a person would type it.</summary>
    public override string ToString() => Kind switch
    {
        ModelReferenceKind.LocalFile => LocalPath!,
        _ when FileName is not null => $"{RepoId} (file {FileName})",
        _ when Quant is not null => $"{RepoId}:{Quant}",
        _ => RepoId!,
    };

    internal static ModelReference Parse(
        string model, string? hfFile, string? revision, string currentDirectory, string homeDirectory)
    {
        var text = model?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw Invalid("--model is empty: pass a path to a .gguf file or a Hugging Face repo id (org/name[:QUANT]).");
        }

        var path = Path.GetFullPath(ExpandHome(text, homeDirectory), currentDirectory);

        // An existing file wins over every other reading, so a local folder that happens to look like org/name
        // still loads what is on disk.
        if (File.Exists(path))
        {
            if (!string.IsNullOrWhiteSpace(hfFile))
            {
                throw Invalid($"--hf-file selects a file inside a Hugging Face repository, but --model '{text}' is a local file.");
            }

            return new ModelReference(ModelReferenceKind.LocalFile, path, null, null, null, DefaultRevision);
        }

        if (text.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelResolutionException(ModelResolutionErrorKind.NotFound, $"Model file not found: {path}");
        }

        var (repoId, quant) = SplitQuantTag(text);
        if (LooksLikePath(text) || !RepoIdSyntax.IsRepoId(repoId))
        {
            var what = Directory.Exists(path) ? $"'{path}' is a directory" : $"'{text}' is not an existing file";
            throw Invalid(
                $"{what} and not a Hugging Face repo id. --model takes a path to a .gguf file or a repo id " +
                "of the form org/name, optionally with a quant tag (org/name:Q4_K_M).");
        }

        if (quant is not null && !RepoIdSyntax.IsQuantTag(quant))
        {
            throw Invalid($"'{quant}' in '{text}' is not a quant tag (expected something like Q4_K_M or Q8_0).");
        }

        if (quant is not null && !string.IsNullOrWhiteSpace(hfFile))
        {
            throw Invalid($"Use either a quant tag ('{text}') or --hf-file '{hfFile}', not both.");
        }

        return ForRepository(repoId, quant, hfFile, revision);
    }

    private static (string RepoId, string? Quant) SplitQuantTag(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon < 0 ? (text, null) : (text[..colon], text[(colon + 1)..]);
    }

    private static bool LooksLikePath(string text) =>
        text.StartsWith('.') || text.StartsWith('~') || text.Contains('\\') || Path.IsPathRooted(text);

    private static string ExpandHome(string text, string homeDirectory)
    {
        if (text == "~")
        {
            return homeDirectory;
        }

        return text.StartsWith("~/", StringComparison.Ordinal) || text.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(homeDirectory, text[2..])
            : text;
    }

    private static ModelResolutionException Invalid(string message) =>
        new(ModelResolutionErrorKind.InvalidReference, message);
}
