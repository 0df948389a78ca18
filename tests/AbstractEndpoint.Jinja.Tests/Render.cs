namespace AbstractEndpoint.Jinja.Tests;

/// <summary>Shorthand for the unit tests: parse and render in one call.</summary>
internal static class Render
{
    public static string Text(string template, Dictionary<string, object?>? context = null, JinjaOptions? options = null) =>
        JinjaTemplate.Parse(template, options ?? TestData.ReferenceOptions).Render(context ?? []);
}
