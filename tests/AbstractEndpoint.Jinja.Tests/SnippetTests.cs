using System.Text.Json.Nodes;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>
/// Focused cases per feature (names start with the area: print., expr., filter., test., method., stmt., macro.,
/// ws., sandbox., err., syntax.), each compared with Python Jinja2's committed output or error
/// (Data/snippet_cases.json → Data/snippet_outputs.json).
/// </summary>
public sealed class SnippetTests
{
    private static readonly JsonObject Cases = TestData.ReadDataJson("snippet_cases.json");
    private static readonly JsonObject References = TestData.ReadDataJson("snippet_outputs.json");

    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (var (name, _) in Cases)
            {
                names.Add(name);
            }

            return names;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Snippet_matches_python_jinja2(string name)
    {
        var snippet = Cases[name]!;
        var context = TestData.ToContext(snippet["context"]!.AsObject(), addSpecialTokens: false);
        var difference = TestData.Compare(References[name]!, () =>
            JinjaTemplate.Parse(snippet["template"]!.GetValue<string>(), TestData.ReferenceOptions).Render(context));
        Assert.Null(difference);
    }

    [Fact]
    public void Every_snippet_has_a_reference_output()
    {
        Assert.Equal(Cases.Select(pair => pair.Key).Order(StringComparer.Ordinal), References.Select(pair => pair.Key).Order(StringComparer.Ordinal));
    }
}
