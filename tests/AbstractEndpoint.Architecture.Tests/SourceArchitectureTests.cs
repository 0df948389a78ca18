using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Architecture.Tests;

/// <summary>The real source against the real table in docs/architecture.md.</summary>
public sealed class SourceArchitectureTests
{
    [Fact]
    public void Every_source_project_references_exactly_what_the_component_table_says()
    {
        var root = SharedAssets.RepositoryRoot;
        var table = ComponentTable.Parse(File.ReadAllText(Path.Combine(root, "docs", "architecture.md")));
        var projects = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(ProjectDependencies.Read)
            .ToList();

        Assert.True(projects.Count >= 12, $"found only {projects.Count} source projects under src/");
        Assert.Empty(DependencyRules.Check(table, projects));
    }
}
