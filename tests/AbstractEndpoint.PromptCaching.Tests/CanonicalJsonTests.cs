using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Json;

namespace AbstractEndpoint.PromptCaching.Tests;

/// <summary>One rule of Python's json.dumps per test, independent of the vector file.</summary>
public sealed class CanonicalJsonTests
{
    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.Serialize(document.RootElement);
    }

    [Fact]
    public void Sorts_keys_recursively()
    {
        Assert.Equal("""{"a":{"x":1,"y":2},"b":[{"c":3,"d":4}]}""", Canonical("""{"b":[{"d":4,"c":3}],"a":{"y":2,"x":1}}"""));
    }

    [Fact]
    public void Sorts_keys_by_code_point_not_utf16()
    {
        // U+FF01 < U+1F600 as code points, but its UTF-16 unit 0xFF01 > 0xD83D.
        Assert.Equal("{\"\uFF01\":1,\"\U0001F600\":2}", Canonical("{\"\U0001F600\":2,\"\uFF01\":1}"));
    }

    [Fact]
    public void Leaves_non_ascii_raw_in_utf8()
    {
        var bytes = CanonicalJson.SerializeToUtf8Bytes(JsonNode.Parse("\"caf\\u00e9 \\ud83d\\ude00\""));
        Assert.Equal(Encoding.UTF8.GetBytes("\"café 😀\""), bytes);
    }

    [Fact]
    public void Escapes_like_python()
    {
        Assert.Equal(
            "\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001b/<>&\u007f\u2028\"",
            Canonical("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001b\\/<>&\\u007f\\u2028\""));
    }

    [Fact]
    public void Keeps_the_int_or_float_nature_of_number_tokens()
    {
        Assert.Equal("[1,1.0,100.0,0,-0.0,123456789012345678901234567890]", Canonical("[1,1.0,1e2,-0,-0.0,123456789012345678901234567890]"));
    }

    [Theory]
    [InlineData("1e-5", "1e-05")]
    [InlineData("1.5e300", "1.5e+300")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e16", "1e+16")]
    [InlineData("1e15", "1000000000000000.0")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("1e400", "Infinity")]
    [InlineData("-1e400", "-Infinity")]
    [InlineData("-1e-400", "-0.0")]
    public void Prints_floats_as_python_repr(string token, string expected)
    {
        Assert.Equal(expected, Canonical(token));
    }

    [Fact]
    public void Repeated_keys_keep_the_last_value()
    {
        Assert.Equal("""{"a":2,"b":0}""", Canonical("""{"b":0,"a":1,"a":2}"""));
    }

    [Fact]
    public void Literals_print_lowercase()
    {
        Assert.Equal("[true,false,null]", Canonical("[true,false,null]"));
    }

    [Fact]
    public void Nodes_built_in_code_keep_their_clr_number_type()
    {
        var node = new JsonObject { ["f"] = 1.0, ["i"] = 1, ["m"] = 2.5m, ["l"] = long.MaxValue, ["s"] = "x", ["b"] = true, ["n"] = null };
        Assert.Equal("""{"b":true,"f":1.0,"i":1,"l":9223372036854775807,"m":2.5,"n":null,"s":"x"}""", CanonicalJson.Serialize(node));
    }

    [Fact]
    public void Parsed_nodes_serialize_like_elements()
    {
        const string json = """{"z":[1.0,{"b":1e-7,"a":"é"}],"a":-0}""";
        using var document = JsonDocument.Parse(json);
        Assert.Equal(CanonicalJson.Serialize(document.RootElement), CanonicalJson.Serialize(JsonNode.Parse(json)));
    }

    [Fact]
    public void Unpaired_surrogates_stay_in_text_but_fail_utf8_like_python_encode()
    {
        var node = JsonValue.Create("a\uD800b");
        Assert.Equal("\"a\uD800b\"", CanonicalJson.Serialize(node));
        Assert.Throws<ArgumentException>(() => CanonicalJson.SerializeToUtf8Bytes(node));
    }
}
