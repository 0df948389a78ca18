using System.Text.Json;
using AbstractEndpoint.PromptCaching.Python;
using AbstractEndpoint.PromptCaching.Tests.Support;

namespace AbstractEndpoint.PromptCaching.Tests;

public sealed class PythonSemanticsTests
{
    [Fact]
    public void Strip_removes_exactly_pythons_whitespace()
    {
        var python = PythonVectors.Section("whitespace").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        var ours = Enumerable.Range(0, 0x10000).Where(c => PythonText.IsWhitespace((char)c)).ToHashSet();
        Assert.Equal(python.Order(), ours.Order());
        Assert.Equal("x", PythonText.Strip("\u001c\u3000 x\t\u001f"));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e22, "1e+22")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NaN, "nan")]
    public void Float_repr_matches_python(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Repr(value));
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
        Assert.Equal(expected, PythonRepr.Repr(document.RootElement));
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
