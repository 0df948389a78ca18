using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine;

/// <summary>The local model's vocabulary behind <see cref="ITokenizer"/>: llama.cpp's tokenizer is thread-safe after load.</summary>
public sealed class LocalTokenizer(IVocabulary vocabulary) : ITokenizer
{
    public int VocabularySize => vocabulary.VocabularySize;

    public IReadOnlyList<int> Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        return vocabulary.Tokenize(text, addSpecial && vocabulary.AddsBos, parseSpecial);
    }

    public byte[] TokenBytes(int token)
    {
        // llama.cpp reads its token table without a bounds check: an id outside it would read foreign memory.
        if (token < 0 || token >= vocabulary.VocabularySize)
        {
            throw new InvalidRequestException(
                $"Invalid token id {token}: the vocabulary has {vocabulary.VocabularySize} tokens (0 to {vocabulary.VocabularySize - 1}).",
                "tokens",
                "invalid_value");
        }

        Span<byte> piece = stackalloc byte[64];
        var length = vocabulary.TokenToBytes(token, piece, special: true);
        if (length >= 0)
        {
            return piece[..length].ToArray();
        }

        var larger = new byte[-length];
        var written = vocabulary.TokenToBytes(token, larger, special: true);
        return larger[..Math.Max(written, 0)];
    }
}
