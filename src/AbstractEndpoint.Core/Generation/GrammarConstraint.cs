namespace AbstractEndpoint.Core.Generation;

/// <summary>
/// A GBNF grammar the sampled text must follow. A <see cref="Lazy"/> grammar leaves sampling free until one of
/// <see cref="TriggerPatterns"/> matches the text generated so far, and applies from the pattern's first capture
/// group on (the opening marker of a tool call). Patterns are anchored (<c>^…$</c>) and matched against the whole
/// generated text, special tokens included.
/// </summary>
/// <param name="Gbnf">The grammar, in llama.cpp's GBNF.</param>
/// <param name="Root">The start rule.</param>
/// <param name="Lazy">Whether the grammar waits for a trigger.</param>
/// <param name="TriggerPatterns">Regular expressions (ECMAScript-compatible) that wake a lazy grammar.</param>
public sealed record GrammarConstraint(string Gbnf, string Root, bool Lazy, IReadOnlyList<string> TriggerPatterns)
{
    /// <summary>A grammar that applies from the first token.</summary>
    public static GrammarConstraint Strict(string gbnf, string root) => new(gbnf, root, Lazy: false, []);
}
