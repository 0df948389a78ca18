using System.Diagnostics;

namespace AbstractEndpoint.Jinja.Tests;

/// <summary>Hostile templates end with a <see cref="JinjaLimitException"/> (or Jinja2's own error), quickly and without crashing.</summary>
public sealed class LimitTests
{
    [Fact]
    public void Self_recursive_macro_hits_the_recursion_limit()
    {
        var error = Assert.Throws<JinjaLimitException>(() => Render.Text("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"));
        Assert.Contains("200", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutually_recursive_callers_hit_the_recursion_limit()
    {
        const string Template = "{% macro a() %}{% call b() %}x{% endcall %}{% endmacro %}{% macro b() %}{{ a() }}{{ caller() }}{% endmacro %}{{ a() }}";
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template));
    }

    [Fact]
    public void Recursion_limit_is_configurable()
    {
        const string Template = "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{% endif %}.{% endmacro %}{{ f(depth) }}";
        var options = TestData.ReferenceOptions with { MaxRecursionDepth = 10 };
        Assert.Equal("..........", Render.Text(Template, new Dictionary<string, object?> { ["depth"] = 9 }, options));
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template, new Dictionary<string, object?> { ["depth"] = 10 }, options));
    }

    [Fact]
    public void Huge_range_is_refused_like_the_jinja2_sandbox()
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<JinjaRenderException>(() => Render.Text("{% for i in range(10**9) %}x{% endfor %}"));
        Assert.Equal("OverflowError", error.ErrorType);
        Assert.Equal("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).", error.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Nested_loops_hit_the_iteration_limit()
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<JinjaLimitException>(() =>
            Render.Text("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"));
        Assert.Contains("1000000 loop iterations", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Iteration_limit_counts_items_walked_by_filters()
    {
        var options = TestData.ReferenceOptions with { MaxLoopIterations = 1_000 };
        Assert.Equal("500", Render.Text("{{ range(500)|list|length }}", options: options));
        Assert.Throws<JinjaLimitException>(() => Render.Text("{{ range(5000)|map('string')|join }}", options: options));
    }

    [Fact]
    public void Giant_string_repetition_is_refused_before_allocating()
    {
        var watch = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<JinjaLimitException>(() => Render.Text("{{ 'a' * 10**9 }}"));
        Assert.Contains("exceeds the limit", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 50_000_000, "the string must not be built");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Giant_list_repetition_is_refused_before_allocating()
    {
        Assert.Throws<JinjaLimitException>(() => Render.Text("{{ ([1, 2] * 10**9)|length }}"));
    }

    [Fact]
    public void Output_size_is_bounded()
    {
        var options = TestData.ReferenceOptions with { MaxOutputLength = 10_000 };
        Assert.Equal(9_999, Render.Text("{% for i in range(9999) %}x{% endfor %}", options: options).Length);
        var error = Assert.Throws<JinjaLimitException>(() => Render.Text("{% for i in range(20000) %}x{% endfor %}", options: options));
        Assert.Contains("output exceeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Doubling_a_string_in_a_namespace_hits_a_limit()
    {
        const string Template = "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}";
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template));
    }

    [Fact]
    public void Total_allocation_is_bounded()
    {
        var options = TestData.ReferenceOptions with { MaxAllocatedLength = 1_000_000 };
        const string Template = "{% set s = 'x' * 5000 %}{% for i in range(1000) %}{% set t = s ~ i %}{% endfor %}done";
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template, options: options));
        Assert.Equal("done", Render.Text(Template));
    }

    [Fact]
    public void Huge_integer_powers_are_refused_cheaply()
    {
        var watch = Stopwatch.StartNew();
        Assert.Throws<JinjaLimitException>(() => Render.Text("{{ 2 ** (10 ** 9) }}"));
        Assert.Throws<JinjaLimitException>(() => Render.Text("{{ 7 ** n }}", new() { ["n"] = 100_000 }));
        Assert.Equal("1", Render.Text("{{ 1 ** (10 ** 30) }}"));
        Assert.Equal("1237940039285380274899124224", Render.Text("{{ 2 ** 10 ** 9 }}"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Deeply_nested_expressions_are_refused_at_parse_time()
    {
        var source = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        Assert.Throws<JinjaLimitException>(() => JinjaTemplate.Parse(source));
        Assert.Throws<JinjaLimitException>(() => JinjaTemplate.Parse("{{ " + string.Concat(Enumerable.Repeat("not ", 5000)) + "1 }}"));
        Assert.Throws<JinjaLimitException>(() => JinjaTemplate.Parse("{{ " + string.Concat(Enumerable.Repeat("-", 5000)) + "1 }}"));
    }

    [Fact]
    public void Deeply_nested_statements_are_refused_at_parse_time()
    {
        var source = string.Concat(Enumerable.Repeat("{% if true %}", 3000)) + string.Concat(Enumerable.Repeat("{% endif %}", 3000));
        Assert.Throws<JinjaLimitException>(() => JinjaTemplate.Parse(source));
    }

    [Fact]
    public void Long_flat_operator_chains_render_without_overflowing_the_stack()
    {
        var sum = "{{ " + string.Join(" + ", Enumerable.Repeat("1", 20000)) + " }}";
        var result = Run(() => Render.Text(sum), out var error);
        Assert.True(result == "20000" || error is JinjaLimitException, $"got {result} / {error}");
    }

    [Fact]
    public void Deeply_nested_values_are_refused_when_printed()
    {
        const string Template = "{% set ns = namespace(v=[]) %}{% for i in range(5000) %}{% set ns.v = [ns.v] %}{% endfor %}{{ ns.v }}";
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template));
        Assert.Throws<JinjaLimitException>(() => Render.Text(Template.Replace("{{ ns.v }}", "{{ ns.v|tojson }}", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("{{ {ns.v: 1} }}")]
    [InlineData("{{ ns.v == ns.v }}")]
    [InlineData("{{ [ns.v] < [ns.v] }}")]
    [InlineData("{{ ns.v in [ns.v] }}")]
    public void Deeply_nested_values_in_hashing_and_comparison_do_not_overflow_the_stack(string use)
    {
        var template = "{% set ns = namespace(v=()) %}{% for i in range(100000) %}{% set ns.v = (ns.v,) %}{% endfor %}" + use;
        var result = Run(() => Render.Text(template), out var error);
        Assert.True(error is JinjaLimitException || result is not null, $"got {result} / {error}");
    }

    [Fact]
    public void Deeply_nested_context_data_is_refused()
    {
        var json = new string('[', 3000) + new string(']', 3000);
        var node = System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 5000 });
        Assert.Throws<JinjaLimitException>(() => Render.Text("{{ x|length }}", new Dictionary<string, object?> { ["x"] = node }));
    }

    /// <summary>Runs on a thread with a small (1 MB) stack, like a thread-pool thread, to prove no stack overflow.</summary>
    private static string? Run(Func<string> action, out Exception? error)
    {
        string? result = null;
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (JinjaException e)
            {
                caught = e;
            }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        error = caught;
        return result;
    }
}
