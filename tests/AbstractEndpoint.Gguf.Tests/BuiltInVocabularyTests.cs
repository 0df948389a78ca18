using AbstractEndpoint.Gguf.Synthetic;

namespace AbstractEndpoint.Gguf.Tests;

public sealed class BuiltInVocabularyTests
{
    private readonly GgufVocabulary _vocabulary = BuiltInVocabulary.Create();

    private IReadOnlyList<int> Types => _vocabulary.Metadata[GgufKeys.TokenizerTokenTypes].AsArray<int>();

    [Fact]
    public void Special_tokens_sit_at_their_documented_ids()
    {
        Assert.Equal("llama", _vocabulary.Model);
        Assert.Equal("<unk>", _vocabulary.Tokens[BuiltInVocabulary.UnknownId]);
        Assert.Equal("<s>", _vocabulary.Tokens[BuiltInVocabulary.BosId]);
        Assert.Equal("</s>", _vocabulary.Tokens[BuiltInVocabulary.EosId]);
        Assert.Equal(BuiltInVocabulary.ImStart, _vocabulary.Tokens[BuiltInVocabulary.ImStartId]);
        Assert.Equal(BuiltInVocabulary.ImEnd, _vocabulary.Tokens[BuiltInVocabulary.ImEndId]);
        Assert.Equal(BuiltInVocabulary.BosId, _vocabulary.BosTokenId);
        Assert.Equal(BuiltInVocabulary.EosId, _vocabulary.EosTokenId);
        Assert.Equal(BuiltInVocabulary.ImEndId, _vocabulary.EotTokenId);
        Assert.Equal((int)LlamaTokenType.Unknown, Types[BuiltInVocabulary.UnknownId]);
        Assert.All(
            new[] { BuiltInVocabulary.BosId, BuiltInVocabulary.EosId, BuiltInVocabulary.ImStartId, BuiltInVocabulary.ImEndId },
            id => Assert.Equal((int)LlamaTokenType.Control, Types[id]));
    }

    [Fact]
    public void All_256_byte_tokens_are_present_in_order()
    {
        for (var b = 0; b < 256; b++)
        {
            var id = BuiltInVocabulary.ByteTokenId((byte)b);
            Assert.Equal($"<0x{b:X2}>", _vocabulary.Tokens[id]);
            Assert.Equal((int)LlamaTokenType.Byte, Types[id]);
        }
    }

    [Fact]
    public void Arrays_agree_tokens_are_unique_and_normal_pieces_are_reachable_by_merges()
    {
        var scores = _vocabulary.Metadata[GgufKeys.TokenizerScores].AsArray<float>();
        Assert.Equal(_vocabulary.TokenCount, scores.Count);
        Assert.Equal(_vocabulary.TokenCount, Types.Count);
        Assert.Equal(_vocabulary.TokenCount, _vocabulary.Tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(_vocabulary.TokenCount, 1000, 4000);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));

        var tokens = _vocabulary.Tokens.ToHashSet(StringComparer.Ordinal);
        var normal = _vocabulary.Tokens.Where((_, id) => Types[id] == (int)LlamaTokenType.Normal).ToList();
        Assert.InRange(normal.Count(piece => piece.StartsWith(BuiltInVocabulary.SpaceMarker, StringComparison.Ordinal)), 300, 4000);
        foreach (var piece in normal.Where(p => p.Length > 1))
        {
            // SentencePiece only merges pairs whose result is a piece, so each piece needs its prefix.
            Assert.Contains(piece[..^1], tokens);
        }

        foreach (var word in new[] { "▁the", "▁hello", "▁assistant", "▁user", "Hello", "▁The" })
        {
            Assert.Contains(word, tokens);
        }

        for (var c = '!'; c <= '~'; c++)
        {
            Assert.Contains(c.ToString(), tokens);
        }
    }

    [Fact]
    public void Only_tokenizer_keys_are_carried()
    {
        Assert.All(_vocabulary.Entries, e => Assert.StartsWith("tokenizer.", e.Key, StringComparison.Ordinal));
        Assert.Equal(GgufValueType.UInt32, _vocabulary.Metadata[GgufKeys.EosTokenId].Type);
        Assert.True(_vocabulary.Metadata.GetBool(GgufKeys.AddBosToken));
        Assert.Null(_vocabulary.ChatTemplate);
    }
}
