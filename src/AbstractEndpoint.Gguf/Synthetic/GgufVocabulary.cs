namespace AbstractEndpoint.Gguf.Synthetic;

/// <summary>
/// A tokenizer as GGUF stores it: every <c>tokenizer.*</c> metadata entry (token list, scores, types, special ids,
/// merges, chat template …). Copying these entries into another GGUF gives it the same tokenizer in llama.cpp.
/// </summary>
public sealed class GgufVocabulary
{
    public GgufVocabulary(IEnumerable<GgufMetadataEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        var notTokenizer = Entries.FirstOrDefault(entry => !entry.Key.StartsWith(GgufKeys.TokenizerPrefix, StringComparison.Ordinal));
        if (notTokenizer is not null)
        {
            throw new ArgumentException($"'{notTokenizer.Key}' is not a tokenizer key", nameof(entries));
        }

        Metadata = new GgufMetadata(Entries);
        if (!Metadata.TryGetValue(GgufKeys.TokenizerTokens, out var tokens) || tokens.ElementType != GgufValueType.String)
        {
            throw new ArgumentException($"a vocabulary needs a string array '{GgufKeys.TokenizerTokens}'", nameof(entries));
        }

        Tokens = tokens.AsArray<string>();
    }

    /// <summary>The <c>tokenizer.*</c> entries in order.</summary>
    public IReadOnlyList<GgufMetadataEntry> Entries { get; }

    /// <summary>The same entries with lookup by key.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>Token texts by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public int TokenCount => Tokens.Count;

    /// <summary><c>tokenizer.ggml.model</c>: "llama" (SentencePiece), "gpt2" (BPE), …</summary>
    public string? Model => Metadata.GetString(GgufKeys.TokenizerModel);

    public long? BosTokenId => Metadata.GetInteger(GgufKeys.BosTokenId);

    public long? EosTokenId => Metadata.GetInteger(GgufKeys.EosTokenId);

    /// <summary>End-of-turn id (<c>tokenizer.ggml.eot_token_id</c>), which llama.cpp also treats as end of generation.</summary>
    public long? EotTokenId => Metadata.GetInteger(GgufKeys.EotTokenId);

    public string? ChatTemplate => Metadata.GetString(GgufKeys.ChatTemplate);

    /// <summary>The tokenizer of an existing model (a "donor"); its tensors are not touched.</summary>
    public static GgufVocabulary FromModel(GgufFile model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entries = model.Metadata
            .Where(entry => entry.Key.StartsWith(GgufKeys.TokenizerPrefix, StringComparison.Ordinal))
            .ToList();
        if (!entries.Exists(entry => entry.Key == GgufKeys.TokenizerTokens))
        {
            throw new ArgumentException(
                $"{model.Path ?? "the model"} has no '{GgufKeys.TokenizerTokens}', so it cannot donate a vocabulary",
                nameof(model));
        }

        return new GgufVocabulary(entries);
    }

    /// <summary>The tokenizer of the GGUF at <paramref name="path"/> (only its header is read).</summary>
    public static GgufVocabulary FromFile(string path) => FromModel(GgufFile.Read(path));
}
