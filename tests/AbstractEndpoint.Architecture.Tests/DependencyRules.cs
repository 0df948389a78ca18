namespace AbstractEndpoint.Architecture.Tests;

/// <summary>
/// Checks the source projects against the component table, both ways: a project may reference only what its row
/// names, and its row names only what it references (so the table stays true). A name in the table is a project when
/// a source project has that short name, a package otherwise. On top, rules the table cannot grant: only Llama uses
/// LLamaSharp, only Host carries the native backend package and ASP.NET Core.
/// </summary>
public static class DependencyRules
{
    public const string Host = "Host";
    public const string Llama = "Llama";

    /// <summary>Every violation, one sentence each; empty when the source follows the table.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, IReadOnlySet<string>> table, IReadOnlyList<ProjectDependencies> projects)
    {
        var violations = new List<string>();
        var names = projects.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        violations.AddRange(table.Keys.Where(row => !names.Contains(row)).Select(row => $"the table has a row for {row}, which is not a source project"));
        foreach (var project in projects)
        {
            if (!table.TryGetValue(project.Name, out var allowed))
            {
                violations.Add($"{project.Name} has no row in the component table");
                continue;
            }

            var actual = project.Projects.Concat(project.Packages).ToHashSet(StringComparer.Ordinal);
            violations.AddRange(actual.Where(r => !allowed.Contains(r)).Order(StringComparer.Ordinal)
                .Select(r => $"{project.Name} references {r}, which the table does not allow"));
            violations.AddRange(allowed.Where(r => !actual.Contains(r)).Order(StringComparer.Ordinal)
                .Select(r => $"the table says {project.Name} may reference {r}, but it does not"));
            violations.AddRange(FixedRules(project));
        }

        return violations;
    }

    private static IEnumerable<string> FixedRules(ProjectDependencies project)
    {
        foreach (var package in project.Packages)
        {
            if (IsNativeBackend(package) && project.Name != Host)
            {
                yield return $"{project.Name} references {package}: only {Host} carries llama.cpp's native backend";
            }
            else if (package.StartsWith("LLamaSharp", StringComparison.OrdinalIgnoreCase) && !IsNativeBackend(package) && project.Name != Llama)
            {
                yield return $"{project.Name} references {package}: only {Llama} talks to LLamaSharp";
            }
            else if (package.StartsWith("Microsoft.AspNetCore.", StringComparison.OrdinalIgnoreCase) && project.Name != Host)
            {
                yield return $"{project.Name} references {package}: only {Host} uses ASP.NET Core";
            }
        }

        if (project.Sdk.Equals("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) && project.Name != Host)
        {
            yield return $"{project.Name} uses the Microsoft.NET.Sdk.Web SDK: only {Host} uses ASP.NET Core";
        }

        foreach (var framework in project.Frameworks.Where(f => f.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase) && project.Name != Host))
        {
            yield return $"{project.Name} references the {framework} framework: only {Host} uses ASP.NET Core";
        }
    }

    private static bool IsNativeBackend(string package) =>
        package.StartsWith("LLamaSharp.Backend.", StringComparison.OrdinalIgnoreCase);
}
