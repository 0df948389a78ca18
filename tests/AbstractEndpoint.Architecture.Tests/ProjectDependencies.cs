using System.Xml.Linq;

namespace AbstractEndpoint.Architecture.Tests;

/// <summary>
/// What one source project depends on directly, as its project file declares it: the SDK, the projects (by short
/// name, <c>AbstractEndpoint.Core</c> → <c>Core</c>), the NuGet packages and the shared frameworks.
/// </summary>
public sealed record ProjectDependencies(
    string Name,
    string Sdk,
    IReadOnlyList<string> Projects,
    IReadOnlyList<string> Packages,
    IReadOnlyList<string> Frameworks)
{
    public const string Prefix = "AbstractEndpoint.";

    /// <summary>Reads a <c>.csproj</c> file; the project's short name comes from its file name.</summary>
    public static ProjectDependencies Read(string csprojPath)
    {
        var document = XDocument.Load(csprojPath);
        var root = document.Root ?? throw new InvalidDataException($"{csprojPath} has no root element");
        return new ProjectDependencies(
            ShortName(Path.GetFileNameWithoutExtension(csprojPath)),
            (string?)root.Attribute("Sdk") ?? "",
            [.. Includes(document, "ProjectReference").Select(p => ShortName(Path.GetFileNameWithoutExtension(p.Replace('\\', '/'))))],
            [.. Includes(document, "PackageReference")],
            [.. Includes(document, "FrameworkReference")]);
    }

    /// <summary><c>AbstractEndpoint.Engine</c> → <c>Engine</c>, the name the component table uses.</summary>
    public static string ShortName(string projectName) =>
        projectName.StartsWith(Prefix, StringComparison.Ordinal) ? projectName[Prefix.Length..] : projectName;

    private static IEnumerable<string> Includes(XDocument document, string item) =>
        document.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();
}
