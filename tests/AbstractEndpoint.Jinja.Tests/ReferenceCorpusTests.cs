using System.Text.Json.Nodes;
using AbstractEndpoint.TestSupport;
using Xunit.Abstractions;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>
/// The real chat templates in ../shared/templates, rendered with every conversation of
/// ../shared/tools/chat_scenarios.json plus Data/extra_scenarios.json, must be byte-identical to Python Jinja2's
/// output (Data/reference_outputs.json), and must raise where Python raises, with the same error.
/// </summary>
public sealed class ReferenceCorpusTests(ITestOutputHelper output)
{
    private static readonly JsonObject References = TestData.ReadDataJson("reference_outputs.json");

    private static readonly string[] Templates =
        [.. References.Select(pair => pair.Key[..pair.Key.IndexOf('/', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal)];

    public static TheoryData<string> TemplateNames => new(Templates);

    [SkippableTheory]
    [MemberData(nameof(TemplateNames))]
    public void Real_template_renders_exactly_like_python_jinja2(string templateName)
    {
        var failures = CompareTemplate(templateName, out _, out _);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public void Whole_corpus_is_byte_identical_and_raises_where_python_raises()
    {
        int total = 0, matched = 0, expectedErrors = 0;
        var failures = new List<string>();
        foreach (var name in Templates)
        {
            var templateFailures = CompareTemplate(name, out var count, out var errors);
            failures.AddRange(templateFailures);
            total += count;
            matched += count - templateFailures.Count;
            expectedErrors += errors;
        }

        output.WriteLine($"{matched}/{total} template×scenario pairs match Python Jinja2 ({total - expectedErrors} byte-identical renders, {expectedErrors} expected errors raised)");
        Assert.Equal(References.Count, total);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static List<string> CompareTemplate(string templateName, out int count, out int expectedErrors)
    {
        var templates = SharedAssets.File("templates");
        var scenarioFile = SharedAssets.File("tools", "chat_scenarios.json");
        Skip.If(templates is null || scenarioFile is null, SharedAssets.MissingReason);

        var scenarios = TestData.ReadJson(scenarioFile);
        foreach (var (name, scenario) in TestData.ReadDataJson("extra_scenarios.json"))
        {
            scenarios[name] = scenario!.DeepClone();
        }

        var template = JinjaTemplate.Parse(File.ReadAllText(Path.Combine(templates, templateName + ".jinja")), TestData.ReferenceOptions);
        var failures = new List<string>();
        count = 0;
        expectedErrors = 0;
        foreach (var (scenarioName, scenario) in scenarios)
        {
            var expected = References[$"{templateName}/{scenarioName}"] ?? throw new InvalidOperationException($"no reference for {templateName}/{scenarioName}; run Data/generate_reference.sh");
            count++;
            if (!expected["ok"]!.GetValue<bool>())
            {
                expectedErrors++;
            }

            var context = TestData.ToContext(scenario!.AsObject());
            var difference = TestData.Compare(expected, () => template.Render(context));
            if (difference is not null)
            {
                failures.Add($"{templateName}/{scenarioName}: {difference}");
            }
        }

        return failures;
    }
}
