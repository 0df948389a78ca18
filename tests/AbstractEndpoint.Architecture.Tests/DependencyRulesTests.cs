namespace AbstractEndpoint.Architecture.Tests;

/// <summary>The checker itself, on synthetic tables and projects: it must fail on each kind of violation.</summary>
public sealed class DependencyRulesTests
{
    private const string Table = """
        # Architecture

        ## Components

        | project | role | may reference |
        | --- | --- | --- |
        | `AbstractEndpoint.Core` | domain | nothing |
        | `AbstractEndpoint.Engine` | scheduler | Core, Microsoft.Extensions.Logging.Abstractions |
        | `AbstractEndpoint.Llama` | runtime | Engine, LLamaSharp |
        | `AbstractEndpoint.Host` | composition root | Core, Engine, Llama, LLamaSharp.Backend.Cpu |

        Text after the table.
        """;

    private static readonly ProjectDependencies Core = new("Core", "Microsoft.NET.Sdk", [], [], []);
    private static readonly ProjectDependencies Engine = new("Engine", "Microsoft.NET.Sdk", ["Core"], ["Microsoft.Extensions.Logging.Abstractions"], []);
    private static readonly ProjectDependencies Llama = new("Llama", "Microsoft.NET.Sdk", ["Engine"], ["LLamaSharp"], []);
    private static readonly ProjectDependencies Host = new("Host", "Microsoft.NET.Sdk.Web", ["Core", "Engine", "Llama"], ["LLamaSharp.Backend.Cpu"], []);

    private static IReadOnlyDictionary<string, IReadOnlySet<string>> Parsed => ComponentTable.Parse(Table);

    [Fact]
    public void Reads_the_may_reference_column()
    {
        var table = Parsed;

        Assert.Equal(["Core", "Engine", "Llama", "Host"], table.Keys);
        Assert.Empty(table["Core"]);
        Assert.Equal(["Engine", "LLamaSharp"], table["Llama"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Projects_that_follow_the_table_pass()
    {
        Assert.Empty(DependencyRules.Check(Parsed, [Core, Engine, Llama, Host]));
    }

    [Fact]
    public void A_reference_the_table_does_not_allow_fails()
    {
        var engine = Engine with { Projects = ["Core", "Llama"] };

        var violation = Assert.Single(DependencyRules.Check(Parsed, [Core, engine, Llama, Host]));
        Assert.Equal("Engine references Llama, which the table does not allow", violation);
    }

    [Fact]
    public void A_table_entry_the_project_does_not_reference_fails()
    {
        var host = Host with { Projects = ["Core", "Llama"] };

        var violation = Assert.Single(DependencyRules.Check(Parsed, [Core, Engine, Llama, host]));
        Assert.Equal("the table says Host may reference Engine, but it does not", violation);
    }

    [Fact]
    public void A_project_without_a_row_and_a_row_without_a_project_fail()
    {
        var hub = new ProjectDependencies("Hub", "Microsoft.NET.Sdk", [], [], []);

        Assert.Equal(
            ["the table has a row for Host, which is not a source project", "Hub has no row in the component table"],
            DependencyRules.Check(Parsed, [Core, Engine, Llama, hub]));
    }

    [Fact]
    public void LLamaSharp_outside_Llama_fails_even_when_the_table_allows_it()
    {
        var table = new Dictionary<string, IReadOnlySet<string>>(Parsed) { ["Engine"] = new HashSet<string> { "Core", "Microsoft.Extensions.Logging.Abstractions", "LLamaSharp" } };
        var engine = Engine with { Packages = ["Microsoft.Extensions.Logging.Abstractions", "LLamaSharp"] };

        var violation = Assert.Single(DependencyRules.Check(table, [Core, engine, Llama, Host]));
        Assert.Equal("Engine references LLamaSharp: only Llama talks to LLamaSharp", violation);
    }

    [Fact]
    public void The_native_backend_outside_Host_fails_even_when_the_table_allows_it()
    {
        var table = new Dictionary<string, IReadOnlySet<string>>(Parsed) { ["Llama"] = new HashSet<string> { "Engine", "LLamaSharp", "LLamaSharp.Backend.Cpu" } };
        var llama = Llama with { Packages = ["LLamaSharp", "LLamaSharp.Backend.Cpu"] };

        var violation = Assert.Single(DependencyRules.Check(table, [Core, Engine, llama, Host]));
        Assert.Equal("Llama references LLamaSharp.Backend.Cpu: only Host carries llama.cpp's native backend", violation);
    }

    [Fact]
    public void AspNet_outside_Host_fails_by_sdk_framework_or_package()
    {
        var table = new Dictionary<string, IReadOnlySet<string>>(Parsed) { ["Core"] = new HashSet<string> { "Microsoft.AspNetCore.Http.Abstractions" } };
        var core = new ProjectDependencies("Core", "Microsoft.NET.Sdk.Web", [], ["Microsoft.AspNetCore.Http.Abstractions"], ["Microsoft.AspNetCore.App"]);

        Assert.Equal(
            [
                "Core references Microsoft.AspNetCore.Http.Abstractions: only Host uses ASP.NET Core",
                "Core uses the Microsoft.NET.Sdk.Web SDK: only Host uses ASP.NET Core",
                "Core references the Microsoft.AspNetCore.App framework: only Host uses ASP.NET Core",
            ],
            DependencyRules.Check(table, [core, Engine, Llama, Host]));
    }

    [Fact]
    public void Reads_a_real_project_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"abstractendpoint-arch-{Environment.ProcessId}", "AbstractEndpoint.Sample.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <ItemGroup>
                <PackageReference Include="YamlDotNet" />
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
                <ProjectReference Include="..\AbstractEndpoint.Core\AbstractEndpoint.Core.csproj" />
              </ItemGroup>
            </Project>
            """);
        try
        {
            var project = ProjectDependencies.Read(path);

            Assert.Equal(new[] { "Sample", "Microsoft.NET.Sdk.Web" }, new[] { project.Name, project.Sdk });
            Assert.Equal(["Core"], project.Projects);
            Assert.Equal(["YamlDotNet"], project.Packages);
            Assert.Equal(["Microsoft.AspNetCore.App"], project.Frameworks);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }
}
