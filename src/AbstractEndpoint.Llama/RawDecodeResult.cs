namespace AbstractEndpoint.Llama;

/// <summary>What the raw engine loop measured.</summary>
/// <param name="PromptTokens">Prompt length of each sequence.</param>
/// <param name="GeneratedTokens">Tokens generated per sequence.</param>
/// <param name="Sequences">Sequences decoded together.</param>
/// <param name="PrefillTime">Time to compute every sequence's prompt (and sample its first token).</param>
/// <param name="DecodeTime">Time of the decode steps after that.</param>
public sealed record RawDecodeResult(int PromptTokens, int GeneratedTokens, int Sequences, TimeSpan PrefillTime, TimeSpan DecodeTime)
{
    public double PrefillTokensPerSecond => PromptTokens * Sequences / PrefillTime.TotalSeconds;

    /// <summary>Decode speed of one sequence; the first token comes from the prefill, so the timed steps are one fewer.</summary>
    public double DecodeTokensPerSecond => (GeneratedTokens - 1) / DecodeTime.TotalSeconds;

    /// <summary>Decode speed of all sequences together.</summary>
    public double AggregateDecodeTokensPerSecond => DecodeTokensPerSecond * Sequences;

    /// <summary>All generated tokens over the whole run, prefill included: what a server's aggregate figure counts.</summary>
    public double AggregateTokensPerSecond => GeneratedTokens * Sequences / (PrefillTime + DecodeTime).TotalSeconds;
}
