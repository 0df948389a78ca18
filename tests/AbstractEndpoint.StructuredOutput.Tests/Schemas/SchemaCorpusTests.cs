using AbstractEndpoint.StructuredOutput.Tests.Gbnf;

namespace AbstractEndpoint.StructuredOutput.Tests.Schemas;

public sealed class SchemaCorpusTests
{
    public static TheoryData<string> Names => SchemaCorpus.Names();

    [Theory]
    [MemberData(nameof(Names))]
    public void Grammar_accepts_valid_and_rejects_invalid_instances(string name)
    {
        var entry = SchemaCorpus.Get(name);
        var gbnf = JsonSchemaGrammar.FromSchema(entry.Schema);
        var recognizer = new GbnfRecognizer(gbnf);

        foreach (var valid in entry.Valid)
        {
            if (!entry.SkipValidator)
            {
                Assert.True(SchemaValidator.IsValid(entry.Schema, valid, out var why), "corpus example is not schema-valid: " + valid + " " + why);
            }

            Assert.True(recognizer.Accepts(valid), "grammar rejected valid instance " + valid + "\n" + gbnf);
        }

        foreach (var invalid in entry.Invalid)
        {
            Assert.False(recognizer.Accepts(invalid), "grammar accepted invalid instance " + invalid + "\n" + gbnf);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Everything_the_grammar_generates_validates(string name)
    {
        var entry = SchemaCorpus.Get(name);
        var gbnf = JsonSchemaGrammar.FromSchema(entry.Schema);
        var sampler = new GbnfSampler(gbnf, seed: name.Length * 7919);
        var recognizer = new GbnfRecognizer(gbnf);
        for (var i = 0; i < 25; i++)
        {
            var sample = sampler.Sample();
            Assert.True(recognizer.Accepts(sample), "recognizer disagrees with sampler on " + sample);
            if (!entry.SkipValidator && !SchemaValidator.HasDuplicateKeys(sample))
            {
                Assert.True(SchemaValidator.IsValid(entry.Schema, sample, out var why), "generated instance does not validate: " + sample + " -> " + why + "\n" + gbnf);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Output_is_deterministic(string name)
    {
        var entry = SchemaCorpus.Get(name);
        Assert.Equal(JsonSchemaGrammar.FromSchema(entry.Schema), JsonSchemaGrammar.FromSchema(entry.Schema?.DeepClone()));
    }
}
