using AbstractEndpoint.Gguf.Synthetic;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class FillInTheMiddleVocabularyTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_model_written_with_fim_has_the_three_control_tokens_and_llama_cpp_keys()
    {
        var path = _directory.File("fim.gguf");
        var builtIn = BuiltInVocabulary.Create();
        var summary = SyntheticModel.Write(path, new SyntheticModelOptions
        {
            Shape = SyntheticModelShape.Tiny,
            TensorType = GgmlType.F32,
            FillInTheMiddle = true,
        });

        var vocabulary = GgufVocabulary.FromFile(path);
        var m = vocabulary.Metadata;
        var first = builtIn.TokenCount;
        Assert.Equal(first + 3, summary.VocabularySize);
        Assert.Equal((uint)(first + 3), GgufFile.Read(path).Metadata["llama.vocab_size"].AsUInt32());
        Assert.Equal(builtIn.Tokens, vocabulary.Tokens.Take(first));
        Assert.Equal(
            [FillInTheMiddleVocabulary.Prefix, FillInTheMiddleVocabulary.Suffix, FillInTheMiddleVocabulary.Middle],
            vocabulary.Tokens.Skip(first));
        Assert.All(m[GgufKeys.TokenizerTokenTypes].AsArray<int>().Skip(first), t => Assert.Equal((int)LlamaTokenType.Control, t));
        Assert.Equal(first + 3, m[GgufKeys.TokenizerScores].AsArray<float>().Count);
        Assert.Equal((uint)first, m[GgufKeys.FimPrefixTokenId].AsUInt32());
        Assert.Equal((uint)first + 1, m[GgufKeys.FimSuffixTokenId].AsUInt32());
        Assert.Equal((uint)first + 2, m[GgufKeys.FimMiddleTokenId].AsUInt32());
    }

    [Fact]
    public void A_vocabulary_that_has_fim_tokens_is_not_given_a_second_set()
    {
        var once = FillInTheMiddleVocabulary.Add(BuiltInVocabulary.Create());

        Assert.Throws<ArgumentException>(() => FillInTheMiddleVocabulary.Add(once));
    }
}
