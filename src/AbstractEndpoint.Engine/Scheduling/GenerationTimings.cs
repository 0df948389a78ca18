namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>Where a request's time went, for logs and benchmarks.</summary>
/// <param name="QueueMs">From submission until a slot took it.</param>
/// <param name="TimeToFirstTokenMs">From submission until the first token was sampled.</param>
/// <param name="GenerationMs">From the first token until the end.</param>
public sealed record GenerationTimings(double QueueMs, double TimeToFirstTokenMs, double GenerationMs)
{
    /// <summary>Decode speed after the first token.</summary>
    public double TokensPerSecond(int completionTokens) =>
        completionTokens > 1 && GenerationMs > 0 ? (completionTokens - 1) * 1000.0 / GenerationMs : 0;
}
