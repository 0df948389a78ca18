namespace AbstractEndpoint.Bench.Soak;

/// <summary>What became of one stream that was read to its end.</summary>
public enum StreamVerdict
{
    /// <summary>Well-formed chunks, one finish reason per choice, then <c>data: [DONE]</c>.</summary>
    Complete,

    /// <summary>Ended (or broke) before <c>data: [DONE]</c>: the client lost output.</summary>
    Lost,

    /// <summary>Something that is not a well-formed chunk stream: bad JSON, an error event, a chunk after the end, no finish reason.</summary>
    Garbled,
}
