namespace AbstractEndpoint.Llama;

/// <summary>What the raw engine loop measured.</summary>
public sealed record RawDecodeResult(int PromptTokens, int GeneratedTokens, TimeSpan PrefillTime, TimeSpan DecodeTime)
{
    public double PrefillTokensPerSecond => PromptTokens / PrefillTime.TotalSeconds;

    /// <summary>Decode speed; the first token comes from the prefill, so the timed steps are one fewer.</summary>
    public double DecodeTokensPerSecond => (GeneratedTokens - 1) / DecodeTime.TotalSeconds;
}
