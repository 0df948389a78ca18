using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Host.Configuration;
using AbstractEndpoint.Llama;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Host.Options;

/// <summary>
/// Everything the server was started with: flags over environment over config file over defaults. The defaults are
/// the declarations' (<see cref="EndpointSettings"/>), so a test that builds options directly gets the same ones.
/// </summary>
public sealed record EndpointOptions
{
    public string Provider { get; init; } = EndpointSettings.Provider.Default;

    public required string Model { get; init; }

    /// <summary>Exact GGUF file inside a Hugging Face repo (<c>--hf-file</c>).</summary>
    public string? HfFile { get; init; }

    /// <summary>A remote provider's API root (<c>--base-url</c>); null takes the provider's variable or default.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>This server's credential for a remote provider (<c>--upstream-api-key</c>).</summary>
    public string? UpstreamApiKey { get; init; }

    public string Host { get; init; } = EndpointSettings.Host.Default;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = EndpointSettings.Port.Default;

    /// <summary>The id clients see; the <c>--model</c> value when not set.</summary>
    public string? Alias { get; init; }

    public int? ContextSize { get; init; }

    public int Threads { get; init; } = EndpointSettings.Threads.Default;

    public int BatchSize { get; init; } = EndpointSettings.BatchSize.Default;

    /// <summary>Most prompt tokens one step takes while other requests generate (the scheduler's chunk).</summary>
    public int PrefillChunk { get; init; } = EndpointSettings.PrefillChunk.Default;

    /// <summary>The step budget's target inter-token latency in ms: 0 automatic, null off (see <c>SchedulerOptions.TargetItlMs</c>).</summary>
    public double? TargetItlMs { get; init; } = EndpointSettings.TargetItlMs.Default;

    /// <summary>Most wave prompt tokens a wave's new streams wait for: -1 automatic, 0 off (see <c>SchedulerOptions.WaveHoldTokens</c>).</summary>
    public int WaveHoldTokens { get; init; } = EndpointSettings.WaveHold.Default;

    /// <summary>Flash attention on or off; null lets llama.cpp decide (on for the CPU backend).</summary>
    public bool? FlashAttention { get; init; } = EndpointSettings.FlashAttn.Default;

    /// <summary>Layers offloaded to the GPU (<c>--n-gpu-layers</c>); <see cref="LlamaRuntimeOptions.AllLayers"/> for all.</summary>
    public int GpuLayers { get; init; } = EndpointSettings.NGpuLayers.Default;

    public int MainGpu { get; init; } = EndpointSettings.MainGpu.Default;

    public GpuSplitMode SplitMode { get; init; } = EndpointSettings.SplitMode.Default;

    /// <summary>Read the model into memory instead of mapping it (<c>--no-mmap</c>).</summary>
    public bool NoMmap { get; init; }

    /// <summary>Lock the model in RAM (<c>--mlock</c>).</summary>
    public bool Mlock { get; init; }

    public KvCacheType CacheTypeK { get; init; } = EndpointSettings.CacheTypeK.Default;

    public KvCacheType CacheTypeV { get; init; } = EndpointSettings.CacheTypeV.Default;

    /// <summary>A llama.cpp build to load instead of the packaged CPU libraries (<c>--llama-native-dir</c>).</summary>
    public string? LlamaNativeDir { get; init; }

    public int Parallel { get; init; } = EndpointSettings.Parallel.Default;

    public int MaxQueue { get; init; } = EndpointSettings.MaxQueue.Default;

    /// <summary>A built-in template name or an inline Jinja template.</summary>
    public string? ChatTemplate { get; init; }

    public string? ChatTemplateFile { get; init; }

    public string LogLevel { get; init; } = EndpointSettings.LogLevel.Default;

    /// <summary><c>text</c> or <c>json</c> (<c>--log-format</c>): how log entries are written to the console.</summary>
    public string LogFormat { get; init; } = EndpointSettings.LogFormat.Default;

    /// <summary>Serve <c>GET /metrics</c> (<c>--metrics</c>).</summary>
    public bool Metrics { get; init; }

    /// <summary>Whether reasoning ("thinking") is split into <c>reasoning_content</c> (<c>--reasoning-format</c>).</summary>
    public ReasoningFormat ReasoningFormat { get; init; } = EndpointSettings.ReasoningFormat.Default;

    /// <summary>The <c>/v1/embeddings</c> pooling override (<c>--pooling</c>); null reads the model's metadata.</summary>
    public EmbeddingPooling? Pooling { get; init; }

    /// <summary>How <c>/v1/embeddings</c> vectors are normalised (<c>--embd-normalize</c>, llama-server's values).</summary>
    public int EmbeddingNormalize { get; init; } = EndpointSettings.EmbdNormalize.Default;

    /// <summary>Named prompt caches kept (LRU beyond it), as the original's <c>prompt_cache_max_entries</c>.</summary>
    public int PromptCacheMaxEntries { get; init; } = EndpointSettings.PromptCacheMaxEntries.Default;

    /// <summary>Default sliding TTL of named caches in seconds; null keeps them until evicted.</summary>
    public double? PromptCacheTtlSeconds { get; init; }

    /// <summary>
    /// The one host-memory budget for the automatic prompt cache and spilled named caches (automatic entries are
    /// dropped first); 0 keeps nothing in host memory.
    /// </summary>
    public long CacheRamBytes { get; init; } = EndpointSettings.MebibytesToBytes(EndpointSettings.CacheRam.Default);

    /// <summary>Where named caches are saved so they survive restarts; null keeps them in memory only.</summary>
    public string? PromptCacheDirectory { get; init; }

    /// <summary>Whether <c>/v1/responses</c> replies are kept for retrieval and continuation (<c>--responses-store</c>).</summary>
    public bool ResponsesStore { get; init; } = EndpointSettings.ResponsesStore.Default;

    /// <summary>Stored responses kept; beyond it the oldest is dropped.</summary>
    public int ResponsesStoreMaxEntries { get; init; } = EndpointSettings.ResponsesStoreMaxEntries.Default;

    /// <summary>Seconds a stored response lives after it was made.</summary>
    public double ResponsesStoreTtlSeconds { get; init; } = EndpointSettings.ResponsesStoreTtl.Default;

    /// <summary>Stored responses' conversation states kept on KV sequences (<c>--responses-kv-states</c>).</summary>
    public int ResponsesKvStates { get; init; } = EndpointSettings.ResponsesKvStates.Default;

    /// <summary>
    /// Refuse unknown request fields and values of features this server does not have with a 400
    /// (<c>--strict-requests</c>); by default they are accepted without effect and logged at debug.
    /// </summary>
    public bool StrictRequests { get; init; }

    /// <summary>
    /// Refuse a request whose <c>model</c> is not the served id (<c>--strict-model-name</c>); by default any name is
    /// answered by the one model.
    /// </summary>
    public bool StrictModelName { get; init; }

    /// <summary>API keys, comma-separated (<c>--api-key</c>); with <see cref="ApiKeyFile"/>, none leaves the server open.</summary>
    public string? ApiKey { get; init; }

    /// <summary>A file of API keys, one a line (<c>--api-key-file</c>).</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>
    /// <c>--cache-isolation</c>: <c>key</c> separates automatic prefix reuse per API key (with more than one key),
    /// <c>shared</c> lets every key reuse every slot's prefix. Named caches are per key either way.
    /// </summary>
    public string CacheIsolation { get; init; } = EndpointSettings.CacheIsolation.Default;

    /// <summary>Origins allowed cross-origin, comma-separated or <c>*</c> (<c>--cors-origins</c>); null: no CORS.</summary>
    public string? CorsOrigins { get; init; }

    /// <summary>Whether CORS responses allow credentials (<c>--cors-credentials</c>).</summary>
    public bool CorsCredentials { get; init; }

    /// <summary>Largest request body accepted (<c>--max-body-bytes</c>); Kestrel answers 413 beyond it.</summary>
    public int MaxBodyBytes { get; init; } = EndpointSettings.MaxBodyBytes.Default;

    /// <summary>PEM certificate file for HTTPS (<c>--ssl-cert-file</c>); with <see cref="SslKeyFile"/>.</summary>
    public string? SslCertFile { get; init; }

    /// <summary>PEM private key file for HTTPS (<c>--ssl-key-file</c>).</summary>
    public string? SslKeyFile { get; init; }

    /// <summary>Seconds a request may live (<c>--timeout</c>); null: no limit.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Most tokens one reply may generate (<c>--max-tokens-limit</c>); null: the context's room.</summary>
    public int? MaxTokensLimit { get; init; }

    /// <summary>Most choices (<c>n</c>) per request (<c>--max-choices</c>); null: no limit.</summary>
    public int? MaxChoices { get; init; }

    /// <summary>Leaves the built-in chat page off (<c>--no-webui</c>): <c>/</c> and <c>/ui</c> answer 404.</summary>
    public bool NoWebUi { get; init; }

    /// <summary>Skips the warm-up chat before the server reports ready (<c>--no-warmup</c>); see <c>HttpWarmup</c>.</summary>
    public bool NoWarmup { get; init; }

    /// <summary>How long in-flight requests may run on after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string ModelId => string.IsNullOrWhiteSpace(Alias) ? Model : Alias;
}
