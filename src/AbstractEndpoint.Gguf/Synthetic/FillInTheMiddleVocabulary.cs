namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// Gives a vocabulary fill-in-the-middle tokens, as code models have them: Qwen's <c>&lt;|fim_prefix|&gt;</c>,
/// <c>&lt;|fim_suffix|&gt;</c> and <c>&lt;|fim_middle|&gt;</c> appended as control tokens, and the ids under
/// <c>tokenizer.ggml.fim_pre_token_id</c>, <c>…fim_suf…</c> and <c>…fim_mid…</c>. llama.cpp would also find these
/// three by their text; the keys make the vocabulary explicit, as converted code models are.
/// </summary>
public static class FillInTheMiddleVocabulary
{
    public const string Prefix = "<|fim_prefix|>";
    public const string Suffix = "<|fim_suffix|>";
    public const string Middle = "<|fim_middle|>";

    /// <summary>
    /// <paramref name="vocabulary"/> with the three tokens appended (ids <c>TokenCount</c>, +1, +2). A vocabulary that
    /// already names FIM tokens is refused rather than given a second set.
    /// </summary>
    public static GgufVocabulary Add(GgufVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var metadata = vocabulary.Metadata;
        if (metadata.ContainsKey(GgufKeys.FimPrefixTokenId)
            || vocabulary.Tokens.Any(token => token is Prefix or Suffix or Middle))
        {
            throw new ArgumentException("the vocabulary already has fill-in-the-middle tokens", nameof(vocabulary));
        }

        var first = vocabulary.TokenCount;
        string[] added = [Prefix, Suffix, Middle];
        var entries = new List<GgufMetadataEntry>();
        foreach (var entry in vocabulary.Entries)
        {
            entries.Add(entry.Key switch
            {
                GgufKeys.TokenizerTokens => new(entry.Key, GgufValue.FromArray([.. vocabulary.Tokens, .. added])),
                GgufKeys.TokenizerScores => new(entry.Key, GgufValue.FromArray(
                    [.. entry.Value.AsArray<float>(), .. added.Select(_ => 0f)])),
                GgufKeys.TokenizerTokenTypes => new(entry.Key, GgufValue.FromArray(
                    [.. entry.Value.AsArray<int>(), .. added.Select(_ => (int)LlamaTokenType.Control)])),
                _ => entry,
            });
        }

        entries.Add(new(GgufKeys.FimPrefixTokenId, GgufValue.FromUInt32((uint)first)));
        entries.Add(new(GgufKeys.FimSuffixTokenId, GgufValue.FromUInt32((uint)first + 1)));
        entries.Add(new(GgufKeys.FimMiddleTokenId, GgufValue.FromUInt32((uint)first + 2)));
        return new GgufVocabulary(entries);
    }
}
