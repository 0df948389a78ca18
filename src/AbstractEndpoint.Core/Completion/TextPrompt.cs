namespace AbstractEndpoint.Core.Completion;

/// <summary>
/// A raw prompt, given as text (tokenized by the model, with a BOS when its metadata asks for one) or as token ids
/// (used as they are). Exactly one of <see cref="Text"/> and <see cref="Tokens"/> is set.
/// </summary>
public sealed record TextPrompt
{
    private TextPrompt(string? text, IReadOnlyList<int>? tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string? Text { get; }

    public IReadOnlyList<int>? Tokens { get; }

    public static TextPrompt FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    public static TextPrompt FromTokens(IReadOnlyList<int> tokens) => new(null, tokens ?? throw new ArgumentNullException(nameof(tokens)));
}
