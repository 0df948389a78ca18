namespace AbstractEndpoint.Engine.Runtime;

/// <summary>Tokenizes a rendered chat prompt the way the model expects it.</summary>
public static class PromptTokenizer
{
    /// <summary>
    /// Special-token text (<c>&lt;|im_start|&gt;</c>…) becomes its token; a BOS is added only when the model wants
    /// one and the template did not already write it (a second BOS degrades answers).
    /// </summary>
    public static int[] Tokenize(IVocabulary vocabulary, string prompt)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(prompt);
        var addBos = vocabulary.AddsBos && (vocabulary.BosText.Length == 0 || !prompt.StartsWith(vocabulary.BosText, StringComparison.Ordinal));
        return vocabulary.Tokenize(prompt, addBos, parseSpecial: true);
    }
}
