using System.Text.RegularExpressions;
using AbstractEndpoint.Host.Cli;
using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Server.Tests.Docs;

/// <summary>
/// docs/configuration.md and <c>--help</c> against the declarations: every setting has its row with its flag, alias,
/// variable and default, and the docs list nothing that is not a setting.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    private static readonly string DocPath = Path.Combine(SharedAssets.RepositoryRoot, "docs", "configuration.md");

    public static TheoryData<string> SettingNames() => [.. EndpointSettings.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(SettingNames))]
    public void The_docs_have_a_row_with_the_flag_alias_variable_and_default(string name)
    {
        var setting = EndpointSettings.All.Single(s => s.Name == name);
        var rows = SettingRows().Where(r => r.Flags.StartsWith($"`{setting.Flag}`", StringComparison.Ordinal)).ToList();

        var row = Assert.Single(rows);
        Assert.Equal(setting.Alias is null ? $"`{setting.Flag}`" : $"`{setting.Flag}`, `{setting.Alias}`", row.Flags);
        Assert.Equal($"`{setting.EnvironmentVariable}`", row.Variable);
        Assert.Equal(setting.DefaultIsLiteral ? $"`{setting.DefaultText}`" : setting.DefaultText, row.Default);
        Assert.NotEmpty(row.Meaning);
    }

    [Fact]
    public void The_docs_list_no_flag_that_is_not_a_setting()
    {
        var documented = SettingRows().Select(r => FlagName().Match(r.Flags).Value).ToList();

        Assert.Equal(EndpointSettings.All.Select(s => s.Flag).Order(), documented.Order());
    }

    [Fact]
    public async Task Help_shows_every_flag_alias_variable_and_default()
    {
        using var output = new StringWriter();
        var code = await EndpointCommand.RunAsync(["--help"], output: output);
        var help = Whitespace().Replace(output.ToString(), " ");

        Assert.Equal(0, code);
        foreach (var setting in EndpointSettings.All)
        {
            // A short alias is listed before the flag, a former long name after it.
            Assert.Contains(
                setting.Alias is null ? setting.Flag
                : setting.FormerName is null ? $"{setting.Alias}, {setting.Flag}"
                : $"{setting.Flag}, {setting.Alias}",
                help,
                StringComparison.Ordinal);
            Assert.Contains(Whitespace().Replace(setting.HelpText, " "), help, StringComparison.Ordinal);
        }
    }

    /// <summary>The rows of the settings tables: those whose first cell is a flag in backticks.</summary>
    private static IEnumerable<(string Flags, string Variable, string Default, string Meaning)> SettingRows() =>
        File.ReadLines(DocPath)
            .Where(line => line.StartsWith("| `--", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
            .Select(cells => cells.Length == 4
                ? (cells[0], cells[1], cells[2], cells[3])
                : throw new Xunit.Sdk.XunitException($"docs/configuration.md: a settings row needs 4 cells (flag | environment | default | meaning): {string.Join(" | ", cells)}"));

    [GeneratedRegex(@"--[a-z0-9-]+")]
    private static partial Regex FlagName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
