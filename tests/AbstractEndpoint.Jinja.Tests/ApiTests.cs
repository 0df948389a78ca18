using System.Text.Json;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>The public surface: context value types, options, and concurrent rendering of one parsed template.</summary>
public sealed class ApiTests
{
    [Fact]
    public void One_template_renders_concurrently_from_many_threads()
    {
        var template = JinjaTemplate.Parse(
            "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m|length %}{{ loop.index }}:{{ m }};{% endfor %}{{ ns.n }}");
        var expected = new string[64];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = template.Render(ContextFor(i));
        }

        var actual = new string[expected.Length];
        Parallel.For(0, 64 * 20, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var i = n % expected.Length;
            actual[i] = template.Render(ContextFor(i));
        });
        Assert.Equal(expected, actual);
        Assert.Equal("1:m0;2:m1;3:m2;6", expected[2]);

        static Dictionary<string, object?> ContextFor(int i) =>
            new() { ["messages"] = Enumerable.Range(0, i + 1).Select(k => (object?)$"m{k}").ToList() };
    }

    [Fact]
    public void Json_numbers_become_python_ints_and_floats()
    {
        var node = JsonNode.Parse("""{"i": 1, "f": 1.0, "e": 1e5, "big": 123456789012345678901234567890, "neg": -0}""");
        Assert.Equal("1 1.0 100000.0 123456789012345678901234567890 0 True False",
            Render.Text("{{ x.i }} {{ x.f }} {{ x.e }} {{ x.big }} {{ x.neg }} {{ x.i is integer }} {{ x.f is integer }}", new() { ["x"] = node }));
        using var document = JsonDocument.Parse("""{"b": 2, "a": [1.5, true, null, "s"]}""");
        Assert.Equal("""{'b': 2, 'a': [1.5, True, None, 's']}""", Render.Text("{{ x }}", new() { ["x"] = document.RootElement }));
    }

    [Fact]
    public void Dictionary_key_order_is_preserved()
    {
        var ordered = new Dictionary<string, object?> { ["z"] = 1, ["a"] = 2, ["m"] = 3 };
        Assert.Equal("""{"z": 1, "a": 2, "m": 3}""", Render.Text("{{ d|tojson }}", new() { ["d"] = ordered }));
        var json = JsonNode.Parse("""{"z": 1, "a": 2}""");
        Assert.Equal("z,a", Render.Text("{{ d|list|join(',') }}", new() { ["d"] = json }));
    }

    [Fact]
    public void Clr_values_convert_to_python_values()
    {
        var context = new Dictionary<string, object?>
        {
            ["n"] = null,
            ["b"] = true,
            ["i"] = 42,
            ["l"] = 42L,
            ["d"] = 0.5,
            ["m"] = 2.5m,
            ["s"] = "text",
            ["list"] = new object?[] { 1, "two", null },
            ["ro"] = (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?> { ["k"] = new List<int> { 1, 2 } },
        };
        Assert.Equal("None True 42 42 0.5 2.5 text [1, 'two', None] {'k': [1, 2]}",
            Render.Text("{{ n }} {{ b }} {{ i }} {{ l }} {{ d }} {{ m }} {{ s }} {{ list }} {{ ro }}", context));
    }

    [Fact]
    public void Strftime_now_uses_the_configured_clock_with_python_formats()
    {
        var options = JinjaOptions.Default with { Clock = () => new DateTimeOffset(2024, 7, 26, 14, 5, 9, TimeSpan.Zero) };
        Assert.Equal("26 Jul 2024", Render.Text("{{ strftime_now('%d %b %Y') }}", options: options));
        Assert.Equal("Friday, July 26 2024 02:05:09 PM day 208 24 07 5 %",
            Render.Text("{{ strftime_now('%A, %B %-d %Y %I:%M:%S %p day %j %y %m %w %%') }}", options: options));
        Assert.Equal("2024-07-26 14:05", Render.Text("{{ strftime_now('%Y-%m-%d %H:%M') }}", options: options));
    }

    [Fact]
    public void Strftime_now_can_be_replaced()
    {
        var options = JinjaOptions.Default with { StrftimeNow = format => $"<{format}>" };
        Assert.Equal("<%d %B>", Render.Text("{{ strftime_now('%d %B') }}", options: options));
    }

    [Fact]
    public void Whitespace_options_default_to_transformers_and_can_be_turned_off()
    {
        const string Template = "  {% if true %}\nx\n  {% endif %}\n";
        Assert.Equal("x\n", Render.Text(Template));
        Assert.Equal("  \nx\n  ", Render.Text(Template, options: JinjaOptions.Default with { TrimBlocks = false, LstripBlocks = false }));
        Assert.Equal("  \nx\n  \n", Render.Text(Template, options: JinjaOptions.Default with { TrimBlocks = false, LstripBlocks = false, KeepTrailingNewline = true }));
    }

    [Fact]
    public void Context_shadows_globals()
    {
        Assert.Equal("mine", Render.Text("{{ range }}", new() { ["range"] = "mine" }));
        Assert.Equal("[0, 1]", Render.Text("{{ range(2)|list }}"));
    }

    [Fact]
    public void Parse_and_render_reject_null()
    {
        Assert.Throws<ArgumentNullException>(() => JinjaTemplate.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => JinjaTemplate.Parse("x").Render(null!));
    }
}
