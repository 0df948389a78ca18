using System.Text.Json.Nodes;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>
/// Our own templates (Data/templates) exercise what the real corpus misses: macros with caller, recursion,
/// loop.cycle, block set, filters with keyword arguments, slicing with steps, value printing, whitespace edge cases.
/// Their Python Jinja2 outputs are committed, so these run without ../shared.
/// </summary>
public sealed class OwnTemplateTests
{
    private static readonly JsonObject Scenarios = TestData.ReadDataJson("template_scenarios.json");
    private static readonly JsonObject References = TestData.ReadDataJson("template_outputs.json");

    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var key in References.Select(pair => pair.Key))
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                cases.Add(key[..slash], key[(slash + 1)..]);
            }

            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Own_template_renders_exactly_like_python_jinja2(string templateName, string scenarioName)
    {
        var template = JinjaTemplate.Parse(TestData.ReadText("templates", templateName + ".jinja"), TestData.ReferenceOptions);
        var context = TestData.ToContext(Scenarios[scenarioName]!.AsObject());
        var difference = TestData.Compare(References[$"{templateName}/{scenarioName}"]!, () => template.Render(context));
        Assert.Null(difference);
    }
}
