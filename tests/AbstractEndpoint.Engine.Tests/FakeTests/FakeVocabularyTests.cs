using AbstractEndpoint.Engine.Tests.Fakes;

namespace AbstractEndpoint.Engine.Tests.FakeTests;

public sealed class FakeVocabularyTests
{
    private readonly FakeVocabulary _vocabulary = new() { BosText = "<s>", EosText = "</s>" };

    [Fact]
    public void Text_tokenizes_to_its_utf8_bytes_and_back()
    {
        var tokens = _vocabulary.Tokenize("hé😀", addBos: false, parseSpecial: false);

        Assert.Equal(1 + 2 + 4, tokens.Length);
        Assert.Equal("hé😀", _vocabulary.Detokenize(tokens));
    }

    [Fact]
    public void Special_token_texts_are_parsed_only_when_asked()
    {
        Assert.Equal([FakeVocabulary.Bos, 'a', FakeVocabulary.Eos], _vocabulary.Tokenize("<s>a</s>", addBos: false, parseSpecial: true));
        Assert.Equal(FakeVocabulary.BytesOf("<s>a"), _vocabulary.Tokenize("<s>a", addBos: false, parseSpecial: false));
        Assert.Equal([FakeVocabulary.Bos, 'a'], _vocabulary.Tokenize("a", addBos: true, parseSpecial: true));
    }

    [Fact]
    public void Defined_tokens_carry_arbitrary_pieces_and_control_tokens_none()
    {
        var half = _vocabulary.Define([0xE2, 0x82]);
        Span<byte> buffer = stackalloc byte[8];

        Assert.Equal(2, _vocabulary.TokenToBytes(half, buffer));
        Assert.Equal(0, _vocabulary.TokenToBytes(FakeVocabulary.Eos, buffer));
        Assert.Equal(-2, _vocabulary.TokenToBytes(half, buffer[..1]));
        Assert.True(_vocabulary.IsEndOfGeneration(FakeVocabulary.Eos));
        Assert.False(_vocabulary.IsEndOfGeneration(half));
    }
}
