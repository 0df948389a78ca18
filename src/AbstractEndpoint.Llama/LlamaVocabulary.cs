using System.Text;
using AbstractEndpoint.Engine.Runtime;
using LLama.Native;

namespace AbstractEndpoint.Llama;

/// <summary>The model's tokenizer. llama.cpp's vocabulary is read-only after load, so any thread may call it.</summary>
internal sealed class LlamaVocabulary : IVocabulary
{
    private readonly SafeLlamaModelHandle _model;
    private readonly SafeLlamaModelHandle.Vocabulary _vocab;

    public LlamaVocabulary(SafeLlamaModelHandle model)
    {
        _model = model;
        _vocab = model.Vocab;
        AddsBos = _vocab.ShouldAddBOS && _vocab.BOS is not null;
        BosText = SpecialText(_vocab.BOS);
        EosText = SpecialText(_vocab.EOS);
        VocabularySize = _vocab.Count;
    }

    public bool AddsBos { get; }

    public string BosText { get; }

    public string EosText { get; }

    public int VocabularySize { get; }

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

    public int TokenToBytes(int token, Span<byte> destination) =>
        (int)_model.TokenToSpan(token, destination, lstrip: 0, special: false);

    public bool IsEndOfGeneration(int token) => ((LLamaToken)token).IsEndOfGeneration(_vocab);

    private string SpecialText(LLamaToken? token) =>
        token is null ? string.Empty : _vocab.LLamaTokenToString(token, isSpecialToken: true) ?? string.Empty;
}
