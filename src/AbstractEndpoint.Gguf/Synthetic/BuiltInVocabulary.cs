namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// A small SentencePiece-style ("llama" tokenizer model) vocabulary generated in code, so synthetic models and tests
/// need no donor file. Layout:
/// <list type="bullet">
/// <item>0 <c>&lt;unk&gt;</c> (UNKNOWN), 1 <c>&lt;s&gt;</c> (BOS, CONTROL), 2 <c>&lt;/s&gt;</c> (EOS, CONTROL);</item>
/// <item>3–258 the byte tokens <c>&lt;0x00&gt;</c>…<c>&lt;0xFF&gt;</c> (BYTE), the fallback for any character not in
/// the vocabulary;</item>
/// <item>259 <c>&lt;|im_start|&gt;</c> and 260 <c>&lt;|im_end|&gt;</c> (CONTROL): with special parsing a ChatML prompt
/// tokenizes them as single tokens;</item>
/// <item>then normal pieces: <c>▁</c>, the printable ASCII characters, and common English words with the <c>▁</c>
/// space marker plus every prefix of them (<c>▁t</c>, <c>▁th</c>, <c>▁the</c>), and sentence starters also without the
/// marker (<c>Hello</c>, for the start of a line). SentencePiece merges only pairs whose result is itself a piece, so
/// the prefixes are what lets " the" become the single piece <c>▁the</c>; every merge path ends at the longest
/// known word.</item>
/// </list>
/// End of generation: <c>tokenizer.ggml.eos_token_id</c> is <c>&lt;/s&gt;</c> (2), as in Llama 2, and
/// <c>tokenizer.ggml.eot_token_id</c> is <c>&lt;|im_end|&gt;</c> (260), so llama.cpp ends a ChatML turn on either.
/// A load test that suppresses end of text must bias both ids.
/// </summary>
public static class BuiltInVocabulary
{
    public const int UnknownId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    public const int FirstByteId = 3;
    public const int ImStartId = FirstByteId + 256;
    public const int ImEndId = ImStartId + 1;

    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>SentencePiece's visible space, which starts pieces that follow a space.</summary>
    public const string SpaceMarker = "\u2581";

    private static readonly Lazy<GgufVocabulary> Instance = new(Build);

    /// <summary>The vocabulary (built once; the value is immutable in practice and shared).</summary>
    public static GgufVocabulary Create() => Instance.Value;

    /// <summary>The byte token id for <paramref name="value"/>.</summary>
    public static int ByteTokenId(byte value) => FirstByteId + value;

    private static GgufVocabulary Build()
    {
        var tokens = new List<string>();
        var types = new List<int>();
        var scores = new List<float>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Add(string text, LlamaTokenType type, float score)
        {
            if (seen.Add(text))
            {
                tokens.Add(text);
                types.Add((int)type);
                scores.Add(score);
            }
        }

        Add("<unk>", LlamaTokenType.Unknown, 0f);
        Add("<s>", LlamaTokenType.Control, 0f);
        Add("</s>", LlamaTokenType.Control, 0f);
        for (var b = 0; b < 256; b++)
        {
            Add($"<0x{b:X2}>", LlamaTokenType.Byte, 0f);
        }

        Add(ImStart, LlamaTokenType.Control, 0f);
        Add(ImEnd, LlamaTokenType.Control, 0f);

        // Normal pieces score like SentencePiece log-probabilities: earlier (more common) is higher. Only the
        // order matters to the merge, and every merge here has a single possible result anyway.
        var rank = 0;
        void AddPiece(string piece) => Add(piece, LlamaTokenType.Normal, -rank++ * 0.01f);

        AddPiece(SpaceMarker);
        for (var c = '!'; c <= '~'; c++)
        {
            AddPiece(c.ToString());
        }

        void AddWithPrefixes(string piece)
        {
            for (var length = 2; length <= piece.Length; length++)
            {
                AddPiece(piece[..length]);
            }
        }

        foreach (var word in BuiltInVocabularyWords.Lowercase.Concat(BuiltInVocabularyWords.Capitalised))
        {
            AddWithPrefixes(SpaceMarker + word);
        }

        // Capitalised words also start lines ("\nHello"), where no space marker precedes them.
        foreach (var word in BuiltInVocabularyWords.Capitalised)
        {
            AddWithPrefixes(word);
        }

        return new GgufVocabulary(
        [
            new(GgufKeys.TokenizerModel, GgufValue.FromString("llama")),
            new(GgufKeys.TokenizerTokens, GgufValue.FromArray(tokens.ToArray())),
            new(GgufKeys.TokenizerScores, GgufValue.FromArray(scores.ToArray())),
            new(GgufKeys.TokenizerTokenTypes, GgufValue.FromArray(types.ToArray())),
            new(GgufKeys.BosTokenId, GgufValue.FromUInt32(BosId)),
            new(GgufKeys.EosTokenId, GgufValue.FromUInt32(EosId)),
            new(GgufKeys.EotTokenId, GgufValue.FromUInt32(ImEndId)),
            new(GgufKeys.UnknownTokenId, GgufValue.FromUInt32(UnknownId)),
            new(GgufKeys.AddBosToken, GgufValue.FromBool(true)),
            new(GgufKeys.AddEosToken, GgufValue.FromBool(false)),
            new(GgufKeys.AddSpacePrefix, GgufValue.FromBool(true)),
        ]);
    }
}
