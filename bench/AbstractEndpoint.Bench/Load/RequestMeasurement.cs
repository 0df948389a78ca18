namespace AbstractEndpoint.Bench.Load;

/// <summary>What one chat-completion request took. Times are seconds from just before the request was sent.</summary>
internal sealed record RequestMeasurement
{
    public string? Error { get; init; }

    public bool Succeeded => Error is null;

    /// <summary>Time to the first byte of generated text (for non-streaming requests, the whole response time).</summary>
    public double? TimeToFirstToken { get; init; }

    /// <summary>Arrival time of every chunk that carried generated text.</summary>
    public IReadOnlyList<double> ContentChunkTimes { get; init; } = [];

    /// <summary>Generated tokens: from the final usage block, or the number of content chunks when there is none.</summary>
    public int CompletionTokens { get; init; }

    public int? PromptTokens { get; init; }

    /// <summary>True when <see cref="CompletionTokens"/> came from the server's usage block.</summary>
    public bool TokensFromUsage { get; init; }

    public string? FinishReason { get; init; }

    public double Duration { get; init; }

    /// <summary>Gaps between consecutive content chunks (inter-token latency when the server sends a token per chunk).</summary>
    public IEnumerable<double> InterTokenLatencies =>
        ContentChunkTimes.Zip(ContentChunkTimes.Skip(1), (earlier, later) => later - earlier);

    /// <summary>Decode speed seen by this stream: tokens after the first over the time from first to last chunk.</summary>
    public double? StreamTokensPerSecond
    {
        get
        {
            if (ContentChunkTimes.Count >= 2 && CompletionTokens >= 2)
            {
                var span = ContentChunkTimes[^1] - ContentChunkTimes[0];
                return span > 0 ? (CompletionTokens - 1) / span : null;
            }

            return ContentChunkTimes.Count == 0 && Duration > 0 && CompletionTokens > 0
                ? CompletionTokens / Duration // non-streaming: includes prompt processing
                : null;
        }
    }
}
