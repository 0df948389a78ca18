using System.Text;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>The model's tokenizer. llama.cpp's vocabulary is read-only after load, so any thread may call it.</summary>
internal sealed class LlamaVocabulary : IVocabulary
{
    private readonly SafeLlamaModelHandle _model;
    private readonly SafeLlamaModelHandle.Vocabulary _vocab;
    private readonly Lazy<int[]> _byteTokens;
    private readonly Lazy<IntPtr> _nativeVocabulary;

    public LlamaVocabulary(SafeLlamaModelHandle model)
    {
        _model = model;
        _vocab = model.Vocab;
        AddsBos = _vocab.ShouldAddBOS && _vocab.BOS is not null;
        BosText = SpecialText(_vocab.BOS);
        EosText = SpecialText(_vocab.EOS);
        VocabularySize = _vocab.Count;
        // Resolved on first use, so that only grammar requests depend on our own bindings.
        _nativeVocabulary = new Lazy<IntPtr>(() => LlamaGrammarNative.ModelVocabulary(model));
        _byteTokens = new Lazy<int[]>(FindByteTokens);
    }

    public bool AddsBos { get; }

    public string BosText { get; }

    public string EosText { get; }

    public int VocabularySize { get; }

    /// <summary>The BOS token's id, or null when the vocabulary has none.</summary>
    public int? BosToken => _vocab.BOS is { } bos ? (int)bos : null;

    /// <summary>The EOS token's id, or null when the vocabulary has none.</summary>
    public int? EosToken => _vocab.EOS is { } eos ? (int)eos : null;

    public FillInTheMiddleTokens? FillInTheMiddle =>
        _vocab.InfillPrefix is { } prefix && _vocab.InfillSuffix is { } suffix && _vocab.InfillMiddle is { } middle
            ? new FillInTheMiddleTokens((int)prefix, (int)suffix, (int)middle)
            : null;

    /// <summary>A token that ends generation (EOS, else EOT), or null when the model has neither.</summary>
    public int? EndToken => _vocab.EOS is { } eos ? (int)eos : _vocab.EOT is { } eot ? (int)eot : null;

    /// <summary>llama.cpp's <c>const llama_vocab *</c>, for grammar samplers.</summary>
    public IntPtr NativeVocabulary => _nativeVocabulary.Value;

    public int[] Tokenize(string text, bool addBos, bool parseSpecial)
    {
        var tokens = _model.Tokenize(text, addBos, parseSpecial, Encoding.UTF8);
        var ids = new int[tokens.Length];
        for (var i = 0; i < tokens.Length; i++)
        {
            ids[i] = (int)tokens[i];
        }

        return ids;
    }

    public int TokenToBytes(int token, Span<byte> destination, bool special) =>
        (int)_model.TokenToSpan(token, destination, lstrip: 0, special);

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_vocab);

    public string? ValidateGrammar(GrammarConstraint grammar)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        foreach (var pattern in grammar.TriggerPatterns)
        {
            try
            {
                GrammarTrigger.Compile(pattern);
            }
            catch (ArgumentException ex)
            {
                return $"its trigger pattern '{pattern}' is not a valid regular expression ({ex.Message})";
            }
        }

        if (GbnfPrecheck.Problem(grammar.Gbnf) is { } problem)
        {
            return problem;
        }

        var (sampler, log) = LlamaNativeLog.Capture(() => LlamaGrammarNative.CreateGrammar(NativeVocabulary, grammar.Gbnf, grammar.Root));
        using (sampler)
        {
            if (sampler is not null)
            {
                return null;
            }

            // llama.cpp's parse errors go to stderr; its log callback only says that parsing failed (or, for a
            // grammar that parses, what else is wrong, such as left recursion).
            var reason = GbnfExplainer.Explain(grammar.Gbnf) ?? (log.Length > 0 ? Shorten(log) : null);
            return reason is null ? "llama.cpp could not parse the grammar" : $"llama.cpp could not parse the grammar: {reason}";
        }
    }

    // llama.cpp's message repeats the whole grammar after the reason; the reason is what the client needs.
    private static string Shorten(string log)
    {
        const int Limit = 400;
        var text = log.ReplaceLineEndings(" ");
        return text.Length <= Limit ? text : text[..Limit] + "…";
    }

    /// <summary>
    /// A token whose text is exactly the byte <paramref name="value"/>, or -1. Byte-level BPE vocabularies and
    /// SentencePiece ones with byte fallback have one for every byte, which lets any text be fed to a grammar
    /// one byte at a time, each byte checked before it is accepted.
    /// </summary>
    public int ByteToken(byte value) => _byteTokens.Value[value];

    private int[] FindByteTokens()
    {
        var tokens = new int[256];
        Array.Fill(tokens, -1);
        Span<byte> piece = stackalloc byte[8];
        var found = 0;
        for (var token = 0; token < VocabularySize && found < 256; token++)
        {
            if (TokenToBytes(token, piece, special: true) == 1 && tokens[piece[0]] < 0 && !IsEndOfGeneration(token))
            {
                tokens[piece[0]] = token;
                found++;
            }
        }

        return tokens;
    }

    private string SpecialText(LLamaToken? token) =>
        token is null ? string.Empty : _vocab.LLamaTokenToString(token, isSpecialToken: true) ?? string.Empty;
}
