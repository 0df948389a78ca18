using System.Text.Json;
using System.Text.Json.Nodes;

namespace AbstractEndpoint.Python.Tests;

/// <summary>The writer's layouts, each expected string as CPython's <c>json.dumps</c> prints it.</summary>
public sealed class PythonJsonWriterTests
{
    private const string Sample = """{"b": [1, 2.0, {}], "a": "é\u0001", "e": []}""";

    private static string Dumps(string json, PythonJsonFormat format)
    {
        using var document = JsonDocument.Parse(json);
        var writer = new PythonJsonWriter(format);
        writer.WriteElement(document.RootElement);
        return writer.ToString();
    }

    [Fact]
    public void Default_format_is_json_dumps_defaults()
    {
        // json.dumps({"b": [1, 2.0, {}], "a": "é\x01", "e": []})
        Assert.Equal("""{"b": [1, 2.0, {}], "a": "\u00e9\u0001", "e": []}""", Dumps(Sample, new PythonJsonFormat()));
    }

    [Fact]
    public void Compact_sorted_form_is_the_hashing_form()
    {
        // json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        Assert.Equal("{\"a\":\"é\\u0001\",\"b\":[1,2.0,{}],\"e\":[]}", Dumps(Sample, PythonJsonFormat.Compact with { SortKeys = true }));

        using var document = JsonDocument.Parse(Sample);
        var shorthand = new PythonJsonWriter(sortKeys: true, allowNan: true);
        shorthand.WriteElement(document.RootElement);
        Assert.Equal("{\"a\":\"é\\u0001\",\"b\":[1,2.0,{}],\"e\":[]}", shorthand.ToString());
    }

    [Fact]
    public void Indent_puts_items_on_lines_and_keeps_empty_containers_inline()
    {
        // json.dumps(..., indent=2, separators=(",", ": "))
        var expected = "{\n  \"b\": [\n    1,\n    2.0,\n    {}\n  ],\n  \"a\": \"\\u00e9\\u0001\",\n  \"e\": []\n}";
        Assert.Equal(expected, Dumps(Sample, new PythonJsonFormat { Indent = "  ", ItemSeparator = "," }));
    }

    [Fact]
    public void Sorted_keys_follow_code_points_not_utf16_units()
    {
        // sort_keys=True puts U+FFFD before U+1F600, though its UTF-16 unit is greater than the surrogate's.
        var json = JsonSerializer.Serialize(new Dictionary<string, int> { ["\U0001F600"] = 1, ["\uFFFD"] = 2 });
        Assert.Equal("{\"\uFFFD\":2,\"\U0001F600\":1}", Dumps(json, PythonJsonFormat.Compact with { SortKeys = true }));
    }

    [Fact]
    public void Non_finite_floats_follow_allow_nan()
    {
        var allowed = new PythonJsonWriter(new PythonJsonFormat());
        allowed.StartArray();
        allowed.WriteFloat(double.NaN);
        allowed.WriteFloat(double.NegativeInfinity);
        allowed.EndArray();
        Assert.Equal("[NaN, -Infinity]", allowed.ToString());

        var refused = new PythonJsonWriter(new PythonJsonFormat { AllowNan = false });
        Assert.Throws<ArgumentException>(() => refused.WriteFloat(double.PositiveInfinity));
    }

    [Fact]
    public void Ensure_ascii_escapes_each_utf16_unit_and_del()
    {
        var writer = new PythonJsonWriter(new PythonJsonFormat());
        writer.WriteString("\u007f\U0001F600/<");
        Assert.Equal("\"\\u007f\\ud83d\\ude00/<\"", writer.ToString());
    }

    [Fact]
    public void Nodes_built_in_code_keep_python_number_types()
    {
        var node = new JsonObject { ["f"] = 1.0, ["i"] = 1, ["big"] = ulong.MaxValue };
        var writer = new PythonJsonWriter(PythonJsonFormat.Compact);
        writer.WriteNode(node);
        Assert.Equal("{\"f\":1.0,\"i\":1,\"big\":18446744073709551615}", writer.ToString());
    }
}
