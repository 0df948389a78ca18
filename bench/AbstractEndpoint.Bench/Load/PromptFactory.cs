namespace AbstractEndpoint.Bench.Load;

/// <summary>
/// Builds prompts of about N tokens from common English words (nearly all are one token, with their leading space,
/// in Llama, Qwen and similar vocabularies). The first <c>sharedFraction</c> of the words is the same in every prompt;
/// the rest is unique per request, so a server's prefix cache can reuse exactly the shared part.
/// </summary>
internal sealed class PromptFactory
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as", "with",
        "his", "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not", "what",
        "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each", "which", "she", "do",
        "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them", "these", "so", "some",
        "her", "would", "make", "like", "him", "into", "time", "has", "look", "two", "more", "write", "go", "see",
        "number", "no", "way", "could", "people", "my", "than", "first", "water", "been", "call", "who", "oil",
        "its", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part", "over", "new",
        "sound", "take", "only", "little", "work", "know", "place", "year", "live", "me", "back", "give", "most",
        "very", "after", "thing", "our", "just", "name", "good", "sentence", "man", "think", "say", "great",
        "where", "help", "through", "much", "before", "line", "right", "too", "mean", "old", "any", "same",
        "tell", "boy", "follow", "came", "want", "show", "also", "around", "form", "three", "small", "set", "put",
        "end", "does", "another", "well", "large", "must", "big", "even", "such", "because", "turn", "here",
        "why", "ask", "went", "men", "read", "need", "land", "different", "home", "us", "move", "try", "kind",
        "hand", "picture", "again", "change", "off", "play", "spell", "air", "away", "animal", "house", "point",
        "page", "letter", "mother", "answer", "found", "study", "still", "learn", "should", "world", "high",
    ];

    private readonly int _totalWords;
    private readonly string _sharedPrefix;
    private readonly int _seed;

    public PromptFactory(int approximateTokens, double sharedFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(approximateTokens, 1);
        if (sharedFraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sharedFraction), "the shared prefix is a fraction from 0 to 1");
        }

        _totalWords = approximateTokens;
        _seed = seed;
        SharedWords = (int)Math.Round(approximateTokens * sharedFraction);
        _sharedPrefix = RandomWords(new Random(HashCode.Combine(seed, "shared")), SharedWords);
    }

    public int SharedWords { get; }

    /// <summary>The prompt for one request; the same key always gives the same prompt.</summary>
    public string Create(string target, int round, int level, int index)
    {
        var unique = RandomWords(new Random(HashCode.Combine(_seed, target, round, level, index)), _totalWords - SharedWords);
        return SharedWords == 0 ? unique : unique.Length == 0 ? _sharedPrefix : _sharedPrefix + " " + unique;
    }

    private static string RandomWords(Random random, int count) =>
        string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]));
}
