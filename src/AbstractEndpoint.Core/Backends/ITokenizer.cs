namespace AbstractEndpoint.Core.Backends;

/// <summary>
/// The model's tokenizer as the routes see it (<c>/tokenize</c>, <c>/detokenize</c>); null on a backend that cannot
/// tokenize locally. Thread-safe.
/// </summary>
public interface ITokenizer
{
    /// <summary>Token ids run from 0 to this, exclusive.</summary>
    int VocabularySize { get; }

    /// <summary>
    /// The tokens of <paramref name="text"/>. <paramref name="addSpecial"/> adds BOS (and EOS) when the model's
    /// metadata asks for them; <paramref name="parseSpecial"/> turns special-token text (<c>&lt;|im_end|&gt;</c>) into its id.
    /// </summary>
    IReadOnlyList<int> Tokenize(string text, bool addSpecial, bool parseSpecial);

    /// <summary>The bytes one token contributes to text, control tokens as their text; a 400 for an id outside the vocabulary.</summary>
    byte[] TokenBytes(int token);
}
