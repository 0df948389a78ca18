using System.Text.Json;
using AbstractEndpoint.TestSupport;

namespace AbstractEndpoint.Python.Tests;

/// <summary>Python semantics of values as <c>json.loads</c> builds them, and Python's whitespace.</summary>
public sealed class JsonValueSemanticsTests
{
    [Fact]
    public void Strip_removes_exactly_pythons_whitespace()
    {
        var python = PythonVectors.Section("whitespace").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        var ours = Enumerable.Range(0, 0x10000).Where(c => PythonWhitespace.IsSpace((char)c)).ToHashSet();
        Assert.Equal(python.Order(), ours.Order());
        Assert.Equal("x", PythonWhitespace.Strip("\u001c\u3000 x\t\u001f"));
    }

    [Theory]
    [InlineData("null", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("-0.0", false)]
    [InlineData("1e-400", false)]
    [InlineData("\"\"", false)]
    [InlineData("[]", false)]
    [InlineData("{}", false)]
    [InlineData("\"false\"", true)]
    [InlineData("[0]", true)]
    [InlineData("0.5", true)]
    [InlineData("1e400", true)]
    public void Truthiness_matches_python_bool(string json, bool expected)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, PythonTruthiness.IsTruthy(document.RootElement));
    }

    [Theory]
    [InlineData("[\"a\", 1, null, true, 1.5]", "['a', 1, None, True, 1.5]")]
    [InlineData("{\"a\": [1], \"a\": 2, \"b\": {}}", "{'a': 2, 'b': {}}")]
    [InlineData("[\"it's\", \"say \\\"x\\\"\", \"'\\\"\"]", "[\"it's\", 'say \"x\"', '\\'\"']")]
    [InlineData("[\"\\u0000\\t\\u007f\\u00a0\\u00e9\\u200b\"]", "['\\x00\\t\\x7f\\xa0é\\u200b']")]
    [InlineData("[\"\\udb40\\udc01\"]", "['\\U000e0001']")]
    public void Repr_matches_python(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, JsonValueRepr.Repr(document.RootElement));
    }

    [Theory]
    [InlineData("{\"x\": 1}", true)]
    [InlineData("[]", true)]
    [InlineData("\"\"", true)]
    [InlineData("0", true)]
    [InlineData("[[\"k\", \"v\"], \"ab\", {\"a\": 1, \"b\": 2}]", true)]
    [InlineData("[\"a\\ud83d\\ude00\"]", true)]
    [InlineData("\"ab\"", false)]
    [InlineData("5", false)]
    [InlineData("true", false)]
    [InlineData("[[1, 2, 3]]", false)]
    [InlineData("[[[1], 2]]", false)]
    [InlineData("[{\"a\": 1, \"a\": 2}]", false)]
    [InlineData("[null]", false)]
    public void Dict_conversion_matches_python(string json, bool accepted)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(accepted, PythonDict.AcceptsConversion(document.RootElement));
    }
}
