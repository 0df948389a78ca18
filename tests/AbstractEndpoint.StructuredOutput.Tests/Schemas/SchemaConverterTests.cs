using System.Globalization;
using System.Text.Json.Nodes;
using AbstractEndpoint.StructuredOutput.Tests.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Tests.Schemas;

public sealed class SchemaConverterTests
{
    [Theory]
    [InlineData("""{"type":"foo"}""", "Unknown type 'foo'", "#/type")]
    [InlineData("false", "matches no value", "#")]
    [InlineData("""{"type":"object","properties":{"a":{"not":{"type":"null"}}}}""", "'not' is not supported", "#/properties/a/not")]
    [InlineData("""{"if":{},"then":{}}""", "'if' is not supported", "#/if")]
    [InlineData("""{"$ref":"https://example.com/s.json"}""", "Only local references", "#/$ref")]
    [InlineData("""{"$ref":"#/$defs/missing"}""", "points nowhere", "#/$ref")]
    [InlineData("""{"$ref":"#anchor"}""", "Anchor references", "#/$ref")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":1}""", "'minimum' is above 'maximum'", "#")]
    [InlineData("""{"type":"integer","exclusiveMinimum":1,"exclusiveMaximum":2}""", "range is empty", "#")]
    [InlineData("""{"type":"number","minimum":0.2,"maximum":0.3}""", "too narrow", "#")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""", "'maxLength' is less than 'minLength'", "#")]
    [InlineData("""{"type":"string","minLength":-1}""", "non-negative integer", "#/minLength")]
    [InlineData("""{"type":"array","maxItems":1,"minItems":2}""", "'maxItems' is less than 'minItems'", "#")]
    [InlineData("""{"type":"array","prefixItems":[{}],"items":false,"minItems":3}""", "exceeds the number of allowed tuple items", "#")]
    [InlineData("""{"enum":[]}""", "non-empty array", "#/enum")]
    [InlineData("""{"type":"string","enum":[1,2]}""", "No 'enum' value has the schema's type", "#/enum")]
    [InlineData("""{"type":"string","const":3}""", "'const' does not have the schema's type", "#/const")]
    [InlineData("""{"allOf":[{"type":"string"},{"type":"integer"}]}""", "incompatible types", "#")]
    [InlineData("""{"allOf":[{"pattern":"a"},{"pattern":"b"}]}""", "different values of 'pattern'", "#")]
    [InlineData("""{"type":"object","properties":5}""", "'properties' must be an object", "#/properties")]
    [InlineData("""{"anyOf":[]}""", "non-empty array", "#/anyOf")]
    [InlineData("""{"type":"string","pattern":"(a)\\1"}""", "backreferences", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"^(?=a)b$"}""", "lookaround", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"\\bword"}""", "word boundaries", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"a**"}""", "nested quantifier", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"[z-a]"}""", "out of order", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"(abc"}""", "missing ')'", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"a)"}""", "unbalanced ')'", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"a^b"}""", "'^' and '$' are only supported", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"\\p{L}+"}""", "Unicode property", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"(?i)abc"}""", "inline flags", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"*a"}""", "nothing to repeat", "#/pattern")]
    [InlineData("""{"type":"string","pattern":"a{3,1}"}""", "max < min", "#/pattern")]
    public void Invalid_or_unsupported_schemas_throw_clear_errors(string schema, string message, string path)
    {
        var ex = Assert.Throws<SchemaConversionException>(() => JsonSchemaGrammar.FromSchema(schema));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.SchemaPath);
    }

    [Fact]
    public void Malformed_json_is_a_conversion_error()
    {
        var ex = Assert.Throws<SchemaConversionException>(() => JsonSchemaGrammar.FromSchema("{\"type\": "));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_object_mode_accepts_any_object_only()
    {
        var recognizer = new GbnfRecognizer(JsonSchemaGrammar.AnyJsonObject);
        Assert.True(recognizer.Accepts("{}"));
        Assert.True(recognizer.Accepts("{\"a\": [1, {\"b\": null}], \"c\": \"d\"}"));
        Assert.False(recognizer.Accepts("[]"));
        Assert.False(recognizer.Accepts("\"x\""));
        Assert.True(new GbnfRecognizer(JsonSchemaGrammar.AnyJsonValue).Accepts("[1, \"x\"]"));
    }

    [Fact]
    public void Whitespace_is_bounded()
    {
        var recognizer = new GbnfRecognizer(JsonSchemaGrammar.FromSchema("""{"type":"object","properties":{"a":{"type":"integer"}},"required":["a"]}"""));
        Assert.True(recognizer.Accepts("{\n  \"a\": 1\n}"));
        Assert.True(recognizer.Accepts("{\n" + new string(' ', 20) + "\"a\": 1}"));
        Assert.False(recognizer.Accepts("{\n" + new string(' ', 21) + "\"a\": 1}"));
        Assert.False(recognizer.Accepts("{\n\n\"a\": 1}"));
        Assert.False(recognizer.Accepts("{  \"a\": 1}"));
    }

    public static TheoryData<long?, long?> Ranges() => new()
    {
        { 0, 0 }, { 0, 9 }, { 1, 1000 }, { 7, 93 }, { -15, 130 }, { -1000, -1 }, { -999, 999 }, { 250, null }, { null, -20 },
        { null, 0 }, { 0, null }, { 1, null }, { -5, null }, { 10, 10 }, { 99, 101 }, { 120, 1099 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Integer_ranges_are_exact(long? min, long? max)
    {
        var schema = new JsonObject { ["type"] = "integer" };
        if (min is not null)
        {
            schema["minimum"] = min;
        }

        if (max is not null)
        {
            schema["maximum"] = max;
        }

        var recognizer = new GbnfRecognizer(JsonSchemaGrammar.FromSchema(schema));
        for (var n = -1200L; n <= 1200; n++)
        {
            var inRange = (min is null || n >= min) && (max is null || n <= max);
            Assert.True(inRange == recognizer.Accepts(n.ToString(CultureInfo.InvariantCulture)), "n=" + n);
        }

        foreach (var big in new[] { 123456789012L, -123456789012L, 9_999_999_999_999_999L })
        {
            var inRange = (min is null || big >= min) && (max is null || big <= max);
            Assert.Equal(inRange, recognizer.Accepts(big.ToString(CultureInfo.InvariantCulture)));
        }

        Assert.False(recognizer.Accepts("00"));
        Assert.False(recognizer.Accepts("-0" + "1"));
        Assert.False(recognizer.Accepts("12345678901234567"));
    }

    [Theory]
    [InlineData(0.0, false, 1.0, false, new[] { "0", "1", "0.25", "0.999" }, new[] { "-0.5", "1.5", "2", "1e0" })]
    [InlineData(-1.5, true, 2.5, true, new[] { "-1", "2", "-0.5", "1.75" }, new[] { "-1.5", "-2", "3", "2.5" })]
    [InlineData(0.0, true, null, false, new[] { "1", "0.5", "123.25" }, new[] { "0", "-0.5", "-1" })]
    [InlineData(null, false, -3.0, false, new[] { "-3", "-10.5", "-1000" }, new[] { "-2.5", "0", "3" })]
    public void Number_bounds_only_admit_values_in_range(double? min, bool minExclusive, double? max, bool maxExclusive, string[] accepted, string[] rejected)
    {
        var schema = new JsonObject { ["type"] = "number" };
        if (min is not null)
        {
            schema[minExclusive ? "exclusiveMinimum" : "minimum"] = min;
        }

        if (max is not null)
        {
            schema[maxExclusive ? "exclusiveMaximum" : "maximum"] = max;
        }

        var gbnf = JsonSchemaGrammar.FromSchema(schema);
        var recognizer = new GbnfRecognizer(gbnf);
        Assert.All(accepted, a => Assert.True(recognizer.Accepts(a), a + " rejected"));
        Assert.All(rejected, r => Assert.False(recognizer.Accepts(r), r + " accepted"));

        var sampler = new GbnfSampler(gbnf, 5);
        for (var i = 0; i < 200; i++)
        {
            var v = decimal.Parse(sampler.Sample(), NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(min is null || (minExclusive ? v > (decimal)min : v >= (decimal)min), v + " below minimum");
            Assert.True(max is null || (maxExclusive ? v < (decimal)max : v <= (decimal)max), v + " above maximum");
        }
    }

    [Fact]
    public void Golden_object_with_optional_properties()
    {
        const string expected = """
            root ::= "{" ws root-from-0 "}"
            ws ::= ( " " | "\n" [ \t]{0,20} )?
            integer ::= "-"? ( "0" | [1-9] [0-9]{0,15} )
            string ::= "\"" char* "\""
            char ::= [^\x22\x5C\x00-\x1F\x7F] | "\\" ( ["\\/bfnrt] | "u" ( [0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2} ) )
            boolean ::= "true" | "false"
            root-then-2 ::= ("," ws "\"c\"" ":" ws boolean ws)?
            root-then-1 ::= "," ws "\"b\"" ":" ws string ws root-then-2
            root-from-1 ::= "\"b\"" ":" ws string ws root-then-2
            root-from-0 ::= "\"a\"" ":" ws integer ws root-then-1 | root-from-1

            """;
        var gbnf = JsonSchemaGrammar.FromSchema(SchemaCorpus.Get("object-optional").Schema);
        Assert.Equal(expected.ReplaceLineEndings("\n"), gbnf);
    }

    [Fact]
    public void Golden_integer_range_and_pattern()
    {
        Assert.Equal(
            "root ::= \"-\" ([1-9] | \"1\" [0-5]) | \"0\" | [1-9] | [1-9] [0-9] | \"1\" ([0-2] [0-9] | \"30\")\n",
            JsonSchemaGrammar.FromSchema(SchemaCorpus.Get("integer-range").Schema));
        Assert.Equal(
            "root ::= root-pattern\nroot-pattern ::= \"\\\"\" ([+]? [0-9]{1,3} \"-\" [0-9]{3} \"-\" [0-9]{4}) \"\\\"\"\n",
            JsonSchemaGrammar.FromSchema(SchemaCorpus.Get("pattern-phone").Schema));
    }

    [Fact]
    public void Golden_recursive_definitions()
    {
        const string expected = """
            root ::= root-node
            root-node ::= "{" ws root-node-from-0 "}"
            ws ::= ( " " | "\n" [ \t]{0,20} )?
            integer ::= "-"? ( "0" | [1-9] [0-9]{0,15} )
            root-node-children ::= "[" ws (root-node ws ("," ws root-node ws)*)? "]"
            root-node-then-1 ::= ("," ws "\"children\"" ":" ws root-node-children ws)?
            root-node-from-0 ::= "\"value\"" ":" ws integer ws root-node-then-1

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), JsonSchemaGrammar.FromSchema(SchemaCorpus.Get("definitions-recursive").Schema));
    }

    [Fact]
    public void Annotations_and_unenforced_keywords_are_accepted()
    {
        var gbnf = JsonSchemaGrammar.FromSchema("""
            {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"T","description":"d","examples":[[1]],
             "type":"array","items":{"type":"integer","default":3,"deprecated":true},"uniqueItems":true,"x-vendor":1}
            """);
        Assert.True(new GbnfRecognizer(gbnf).Accepts("[1, 2]"));
    }

    [Fact]
    public void Unanchored_pattern_allows_surrounding_text_and_escapes()
    {
        var recognizer = new GbnfRecognizer(JsonSchemaGrammar.FromSchema("""{"type":"string","pattern":"\\d{3}"}"""));
        Assert.True(recognizer.Accepts("\"abc 123 \\\"quoted\\\"\""));
        Assert.False(recognizer.Accepts("\"12\""));
    }

    [Fact]
    public void Extra_keys_cannot_repeat_declared_ones_even_by_prefix_tricks()
    {
        var recognizer = new GbnfRecognizer(JsonSchemaGrammar.FromSchema("""
            {"type":"object","properties":{"ab":{"type":"integer"},"abc":{"type":"integer"}},"additionalProperties":{"type":"string"}}
            """));
        Assert.True(recognizer.Accepts("{\"a\": \"x\"}"));
        Assert.True(recognizer.Accepts("{\"abcd\": \"x\", \"b\": \"y\"}"));
        Assert.True(recognizer.Accepts("{\"ab\": 1, \"abc\": 2, \"\": \"e\"}"));
        Assert.False(recognizer.Accepts("{\"ab\": \"x\"}"));
        Assert.False(recognizer.Accepts("{\"abc\": \"x\"}"));
        Assert.False(recognizer.Accepts("{\"\\u0061b\": \"x\"}"));
    }
}
