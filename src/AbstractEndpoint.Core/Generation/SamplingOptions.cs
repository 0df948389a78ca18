namespace AbstractEndpoint.Core.Generation;

/// <summary>How the next token is chosen. Defaults follow the original endpoint (temperature 0.7).</summary>
public sealed record SamplingOptions
{
    /// <summary>0 means greedy.</summary>
    public float Temperature { get; init; } = 0.7f;

    public float TopP { get; init; } = 1.0f;

    /// <summary>0 disables top-k.</summary>
    public int TopK { get; init; }

    /// <summary>0 disables min-p.</summary>
    public float MinP { get; init; }

    /// <summary>Null means a random seed per request.</summary>
    public uint? Seed { get; init; }

    public float FrequencyPenalty { get; init; }

    public float PresencePenalty { get; init; }

    /// <summary>1 disables the repetition penalty.</summary>
    public float RepeatPenalty { get; init; } = 1.0f;

    /// <summary>How many recent tokens the penalties look at (llama-server's <c>repeat_last_n</c>; 0 disables them).</summary>
    public int PenaltyLastN { get; init; } = 64;

    /// <summary>Locally typical sampling's mass (llama-server's <c>typical_p</c>); 1 disables it.</summary>
    public float TypicalP { get; init; } = 1.0f;

    /// <summary>
    /// The order of the chain's stages (llama-server's <c>samplers</c>); null is the default order
    /// (penalties, top-k, typical-p, top-p, min-p, temperature). Stages left out do not run.
    /// </summary>
    public IReadOnlyList<SamplerStage>? Order { get; init; }

    /// <summary>
    /// How many alternatives each token's log probability lists (OpenAI's <c>top_logprobs</c>, 0–20); null when
    /// log probabilities were not asked for, which costs nothing.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Additive bias per token id; negative infinity bans a token.</summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    /// <summary>A grammar the output must follow (structured output, forced tool calls); null for free text.</summary>
    public GrammarConstraint? Grammar { get; init; }
}
