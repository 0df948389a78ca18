using AbstractEndpoint.Core.Generation;

namespace AbstractEndpoint.Engine.Runtime;

/// <summary>Tokenizer and special tokens of the model. Thread-safe.</summary>
public interface IVocabulary
{
    /// <summary>Tokenizes text; <paramref name="parseSpecial"/> turns special-token text (e.g. <c>&lt;|im_end|&gt;</c>) into its id.</summary>
    int[] Tokenize(string text, bool addBos, bool parseSpecial);

    /// <summary>
    /// The bytes a token contributes to the output text. Control tokens contribute none unless
    /// <paramref name="special"/> asks for their text (<c>[TOOL_CALLS]</c>, <c>&lt;|python_tag|&gt;</c>…, which tool-call
    /// parsers need to see). Returns the length written, or the negated length needed when the span is too small.
    /// </summary>
    int TokenToBytes(int token, Span<byte> destination, bool special);

    /// <summary>True for tokens that end generation (EOS, EOT, <c>&lt;|im_end|&gt;</c>…).</summary>
    bool IsEndOfGeneration(int token);

    /// <summary>Whether the model expects a BOS token at the start of a prompt.</summary>
    bool AddsBos { get; }

    /// <summary>The BOS token's text, for chat templates (empty when the model has none).</summary>
    string BosText { get; }

    /// <summary>The EOS token's text, for chat templates.</summary>
    string EosText { get; }

    int VocabularySize { get; }

    /// <summary>The fill-in-the-middle markers, or null when the vocabulary lacks one of them.</summary>
    FillInTheMiddleTokens? FillInTheMiddle => null;

    /// <summary>
    /// Null when the sampler can use <paramref name="grammar"/>, else why not. Checked on the request thread so
    /// that an invalid grammar is a 400 before the request is queued rather than a failure on the inference loop.
    /// </summary>
    string? ValidateGrammar(GrammarConstraint grammar);
}
