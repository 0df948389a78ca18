using System.Text.Json.Nodes;
using AbstractEndpoint.StructuredOutput.Tests.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Tests.Schemas;

public sealed class SchemaFuzzTests
{
    [Theory]
    [InlineData("""{"$ref":"#"}""")]
    [InlineData("""{"anyOf":[{"$ref":"#"},{"type":"null"}]}""")]
    [InlineData("""{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"type":"integer"},{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}""")]
    [InlineData("""{"$defs":{"a":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}""")]
    public void Self_reference_without_consuming_input_is_rejected(string schema) =>
        Assert.Throws<SchemaConversionException>(() => JsonSchemaGrammar.FromSchema(schema));

    /// <summary>
    /// Corrupts corpus schemas at random (wrong JSON types, removed or duplicated parts): conversion must either
    /// succeed with a well-formed grammar (every rule defined) or fail with a SchemaConversionException.
    /// </summary>
    [Fact]
    public void Corrupted_schemas_convert_or_fail_cleanly()
    {
        var random = new Random(1234);
        JsonNode?[] junk = [null, 1, -2.5, "x", "string", true, false, new JsonArray(), new JsonArray(1, "a"), new JsonObject(), new JsonObject { ["type"] = 3 }];
        var converted = 0;
        for (var round = 0; round < 1500; round++)
        {
            var entry = SchemaCorpus.All[random.Next(SchemaCorpus.All.Count)];
            var schema = entry.Schema?.DeepClone();
            if (schema is not JsonObject)
            {
                continue;
            }

            for (var m = 0; m < 1 + random.Next(3); m++)
            {
                Mutate(schema, random, junk);
            }

            try
            {
                var gbnf = JsonSchemaGrammar.FromSchema(schema);
                _ = GbnfGrammar.Parse(gbnf);
                converted++;
            }
            catch (SchemaConversionException)
            {
            }
        }

        Assert.True(converted > 100, "too few mutated schemas converted: " + converted);
    }

    private static void Mutate(JsonNode root, Random random, JsonNode?[] junk)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        var target = containers[random.Next(containers.Count)];
        switch (target)
        {
            case JsonObject o when o.Count > 0:
                var key = o.ElementAt(random.Next(o.Count)).Key;
                if (random.Next(4) == 0)
                {
                    o.Remove(key);
                }
                else
                {
                    o[key] = junk[random.Next(junk.Length)]?.DeepClone();
                }

                break;
            case JsonArray a when a.Count > 0:
                a[random.Next(a.Count)] = junk[random.Next(junk.Length)]?.DeepClone();
                break;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        switch (node)
        {
            case JsonObject o:
                into.Add(o);
                foreach (var (_, v) in o)
                {
                    Collect(v, into);
                }

                break;
            case JsonArray a:
                into.Add(a);
                foreach (var v in a)
                {
                    Collect(v, into);
                }

                break;
        }
    }
}
