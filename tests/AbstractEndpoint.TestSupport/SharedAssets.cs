namespace AbstractEndpoint.TestSupport;

/// <summary>
/// Finds the workplace's <c>shared/</c> folder (reference docs, tiny models, real chat templates), which CI places
/// beside the repository. Tests that need it skip with <see cref="MissingReason"/> when it is absent.
/// </summary>
public static class SharedAssets
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The repository root (the folder holding AbstractEndpoint.slnx).</summary>
    public static string RepositoryRoot { get; } = LocateRepositoryRoot();

    /// <summary>The shared folder, or null when it is not beside the repository.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Why shared-asset tests are skipped, for the skip message.</summary>
    public static string MissingReason =>
        "needs ../shared beside the repository (or ABSTRACTENDPOINT_SHARED_DIR); it is absent here";

    /// <summary>The path of a file under shared/, or null when shared/ or the file is absent.</summary>
    public static string? File(params string[] relative)
    {
        if (Directory is null)
        {
            return null;
        }

        var path = Path.Combine([Directory, .. relative]);
        return System.IO.File.Exists(path) || System.IO.Directory.Exists(path) ? path : null;
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ABSTRACTENDPOINT_SHARED_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return System.IO.Directory.Exists(fromEnv) ? Path.GetFullPath(fromEnv) : null;
        }

        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }

    private static string LocateRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AbstractEndpoint.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AbstractEndpoint.slnx not found above " + AppContext.BaseDirectory);
    }
}
