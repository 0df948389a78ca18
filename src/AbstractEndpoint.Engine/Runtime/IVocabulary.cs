namespace AbstractEndpoint.Engine.Runtime;

/// <summary>Tokenizer and special tokens of the model. Thread-safe.</summary>
public interface IVocabulary
{
    /// <summary>Tokenizes text; <paramref name="parseSpecial"/> turns special-token text (e.g. <c>&lt;|im_end|&gt;</c>) into its id.</summary>
    int[] Tokenize(string text, bool addBos, bool parseSpecial);

    /// <summary>The bytes a token contributes to the output text; control tokens contribute none.</summary>
    int TokenToBytes(int token, Span<byte> destination);

    /// <summary>True for tokens that end generation (EOS, EOT, <c>&lt;|im_end|&gt;</c>…).</summary>
    bool IsEndOfGeneration(int token);

    /// <summary>Whether the model expects a BOS token at the start of a prompt.</summary>
    bool AddsBos { get; }

    /// <summary>The BOS token's text, for chat templates (empty when the model has none).</summary>
    string BosText { get; }

    /// <summary>The EOS token's text, for chat templates.</summary>
    string EosText { get; }

    int VocabularySize { get; }
}
