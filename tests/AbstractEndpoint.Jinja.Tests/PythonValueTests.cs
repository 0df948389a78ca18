namespace AbstractEndpoint.Jinja.Tests;

/// <summary>Python value semantics that prompts depend on: printing, float spelling, JSON, integer arithmetic.</summary>
public sealed class PythonValueTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1e-4, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789.123456789, "123456789.12345679")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(2.5e-7, "2.5e-07")]
    public void Floats_print_like_python_repr(double value, string expected)
    {
        Assert.Equal(expected, global::AbstractEndpoint.Python.PythonFloat.Repr(value));
        Assert.Equal(expected, Render.Text("{{ x }}", new() { ["x"] = value }));
    }

    [Fact]
    public void Containers_print_with_python_quoting()
    {
        Assert.Equal("[1, 'a', None, True]", Render.Text("{{ [1, 'a', None, True] }}"));
        Assert.Equal("{'a': 1}", Render.Text("{{ {'a': 1} }}"));
        Assert.Equal("""["it's", 'say "hi"', 'both \' and "', 'a\\b', 'x\ny']""",
            Render.Text("""{{ ["it's", 'say "hi"', 'both \' and "', 'a\\b', 'x\ny'] }}"""));
        Assert.Equal("(1,) () ('a', 2)", Render.Text("{{ (1,) }} {{ () }} {{ ('a', 2) }}"));
    }

    [Fact]
    public void Tojson_equals_python_json_dumps()
    {
        var context = new Dictionary<string, object?> { ["x"] = System.Text.Json.Nodes.JsonNode.Parse("""{"s": "é\"\\\n</s>🙂", "f": 1e20, "n": null, "l": [1, 2.5, true]}""") };
        Assert.Equal("""{"s": "é\"\\\n</s>🙂", "f": 1e+20, "n": null, "l": [1, 2.5, true]}""", Render.Text("{{ x|tojson }}", context));
        Assert.Equal("{\n  \"l\": [\n    1\n  ]\n}", Render.Text("{{ {'l': [1]}|tojson(indent=2) }}"));
        Assert.Equal("""{"a":1,"b":2}""", Render.Text("{{ {'b': 2, 'a': 1}|tojson(sort_keys=true, separators=(',', ':')) }}"));
        Assert.Equal("\"\\u00e9\\ud83d\\ude42\"", Render.Text("{{ 'é🙂'|tojson(ensure_ascii=true) }}"));
    }

    [Theory]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % -3 }} {{ -7 % 3 }}", "3 -4 -2 2")]
    [InlineData("{{ -7.5 // 2 }} {{ -7.5 % 2 }} {{ 7 / 2 }} {{ 6 / 2 }}", "-4.0 0.5 3.5 3.0")]
    [InlineData("{{ 2 ** 64 }} {{ -(2 ** 63) - 1 }}", "18446744073709551616 -9223372036854775809")]
    [InlineData("{{ 9223372036854775807 + 1 }}", "9223372036854775808")]
    [InlineData("{{ 'ab' * 3 }} {{ [1] + [2] }} {{ 1 == 1.0 }} {{ true + 1 }}", "ababab [1, 2] True 2")]
    [InlineData("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' in 'cat' }} {{ 'x' not in ['x'] }}", "True False True False")]
    [InlineData("{{ 0.125|round(2) }} {{ 2.675|round(2) }} {{ 2.5|round }} {{ 3.5|round }}", "0.12 2.67 2.0 4.0")]
    public void Arithmetic_follows_python(string template, string expected)
    {
        Assert.Equal(expected, Render.Text(template));
    }

    [Fact]
    public void Strings_are_indexed_by_code_point()
    {
        var context = new Dictionary<string, object?> { ["s"] = "a🙂b" };
        Assert.Equal("3 🙂 b🙂a 🙂b", Render.Text("{{ s|length }} {{ s[1] }} {{ s[::-1] }} {{ s[1:] }}", context));
    }

    [Fact]
    public void Undefined_prints_empty_is_falsy_and_iterates_empty()
    {
        Assert.Equal("[] F 0 none", Render.Text("[{{ nope }}] {{ 'T' if nope else 'F' }} {{ nope|length }} {% for x in nope %}x{% else %}none{% endfor %}"));
    }
}
