namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>Knobs of the inference loop.</summary>
public sealed record SchedulerOptions
{
    /// <summary>The default queue bound (the server's <c>--max-queue</c> default).</summary>
    public const int DefaultMaxQueue = 64;

    /// <summary>The default host-memory budget, llama-server's 8 GiB (the server's <c>--cache-ram</c> default).</summary>
    public const long DefaultCacheRamBytes = 8L << 30;

    /// <summary>Requests allowed to wait for a slot; one more gets a 503.</summary>
    public int MaxQueue { get; init; } = DefaultMaxQueue;

    /// <summary>
    /// Prompt tokens one step may prefill while other slots are generating. A smaller chunk keeps running streams
    /// smooth when a long prompt arrives; with nothing generating, a step uses the whole batch.
    /// </summary>
    public int PrefillChunkWhileGenerating { get; init; } = DefaultPrefillChunk;

    /// <summary>The default chunk (the server's <c>--prefill-chunk</c> default).</summary>
    public const int DefaultPrefillChunk = 128;

    /// <summary>
    /// The inter-token latency steps aim at while streams run, in milliseconds (see <see cref="StepBudget"/>): more
    /// than zero, a fixed target; <see cref="AutoTargetItl"/>, a target derived from measured step times; null, no
    /// budget: every step takes up to <see cref="PrefillChunkWhileGenerating"/> prompt tokens (the server sets auto).
    /// </summary>
    public double? TargetItlMs { get; init; }

    /// <summary>The <see cref="TargetItlMs"/> value that derives the target from measured step times.</summary>
    public const double AutoTargetItl = 0;

    /// <summary>
    /// Most prompt tokens still to compute that a wave's streams wait for after their first token (see
    /// <see cref="WaveHold"/>): 0 (the default) never holds them, <see cref="AutoWaveHold"/> is
    /// <see cref="WaveHold.AutoBatches"/> batches.
    /// </summary>
    public int WaveHoldTokens { get; init; }

    /// <summary>The <see cref="WaveHoldTokens"/> value that sizes the hold from the batch.</summary>
    public const int AutoWaveHold = -1;

    /// <summary>
    /// Which of the runtime's sequences are slots and which belong to named prompt caches; null makes every
    /// sequence a slot (no named caches).
    /// </summary>
    public SequenceLayout? Layout { get; init; }

    /// <summary>
    /// One host-memory budget (see <see cref="HostMemoryBudget"/>) for the automatic prompt cache's entries and the
    /// named caches spilled out of a full KV cache. Past it, automatic entries are dropped first (least recently
    /// used first), then spilled named caches (their conversation stays, so their next use recomputes the prompt).
    /// 0 keeps nothing in host memory.
    /// </summary>
    public long CacheRamBytes { get; init; } = DefaultCacheRamBytes;

    /// <summary>
    /// The fewest tokens worth keeping in, or restoring from, the automatic host cache: below it, computing the
    /// tokens again costs about as little as copying their state, and the entries would crowd out longer ones.
    /// </summary>
    public int HostCacheMinTokens { get; init; } = DefaultHostCacheMinTokens;

    /// <summary>The default <see cref="HostCacheMinTokens"/>.</summary>
    public const int DefaultHostCacheMinTokens = 64;

    /// <summary>
    /// Whether the loop copies idle slots' cells to the automatic host cache while it has nothing else to do (the
    /// cells stay in place), so that moving them out when another request starts only frees them: the copy, which
    /// costs milliseconds per megabyte of fresh host memory, is then off the new request's path.
    /// </summary>
    public bool SaveIdleSlotsAhead { get; init; } = true;
}
