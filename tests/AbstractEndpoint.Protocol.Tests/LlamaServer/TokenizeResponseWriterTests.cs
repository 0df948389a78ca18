using System.Text;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Protocol.LlamaServer;

namespace AbstractEndpoint.Protocol.Tests.LlamaServer;

public sealed class TokenizeResponseWriterTests
{
    [Fact]
    public void Bare_ids_without_pieces()
    {
        var json = Encoding.UTF8.GetString(TokenizeResponseWriter.Write([5, 7], pieces: null));

        Assert.Equal("{\"tokens\":[5,7]}", json);
    }

    [Fact]
    public void A_piece_that_splits_a_character_is_its_bytes_and_detokenize_joins_it_whole()
    {
        // "é" is C3 A9: token 1 holds "caf", tokens 2 and 3 one byte each.
        var tokenizer = new TableTokenizer([[0x63, 0x61, 0x66], [0xC3], [0xA9]]);

        var json = Encoding.UTF8.GetString(TokenizeResponseWriter.Write([0, 1, 2], tokenizer));

        Assert.Equal("{\"tokens\":[{\"id\":0,\"piece\":\"caf\"},{\"id\":1,\"piece\":[195]},{\"id\":2,\"piece\":[169]}]}", json);
        Assert.Equal("café", TokenText.Detokenize(tokenizer, [0, 1, 2]));
        Assert.Equal("caf\uFFFD", TokenText.Detokenize(tokenizer, [0, 1]));
    }

    private sealed class TableTokenizer(byte[][] pieces) : ITokenizer
    {
        public int VocabularySize => pieces.Length;

        public IReadOnlyList<int> Tokenize(string text, bool addSpecial, bool parseSpecial) => throw new NotSupportedException();

        public byte[] TokenBytes(int token) => pieces[token];
    }
}
