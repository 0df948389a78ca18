using AbstractEndpoint.Core.Embeddings;
using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Host.Configuration;

/// <summary>
/// Every setting of <c>abstractcore-endpoint</c>, declared once. Each is a flag, an environment variable
/// (<c>ABSTRACTENDPOINT_&lt;NAME&gt;</c>) and a config-file key (the flag without dashes), bound with the precedence
/// flag, then environment, then config file, then the default here. <see cref="EndpointOptions"/> takes its defaults
/// from these declarations. To add a setting: declare it below and list it in <see cref="All"/>.
/// </summary>
internal static class EndpointSettings
{
    /// <summary>llama.cpp's limit on sequences in one context (<c>llama_max_parallel_sequences</c>).</summary>
    public const int MaxSequences = 256;

    public static readonly EndpointSetting<string?> Config = new(
        "config", null, null, SettingParsers.OptionalText, (options, _) => options,
        "A JSON (.json) or YAML file of settings keyed by the long flag names, e.g. 'ctx-size: 4096'; flags and environment variables beat it.",
        describedDefault: "none")
    { AllowedInConfigFile = false };

    public static readonly EndpointSetting<string> Provider = new(
        "provider", null, "huggingface", SettingParsers.Text, (options, value) => options with { Provider = value },
        "Provider: huggingface (GGUF via llama.cpp; also 'gguf', 'llamacpp'), or a remote one: openai, openai-compatible, openrouter, portkey, lmstudio, vllm, ollama, anthropic (see docs/providers.md).");

    /// <summary>The Python original's default model (mlx-community/Qwen3-4B-4bit) as the same model in GGUF.</summary>
    public static readonly EndpointSetting<string> Model = new(
        "model", null, "Qwen/Qwen3-4B-GGUF:Q4_K_M", SettingParsers.Text, (options, value) => options with { Model = value },
        "Path to a .gguf file, or a Hugging Face repo id 'org/name[:QUANT]' (taken from the shared Hugging Face cache, downloaded when missing).");

    public static readonly EndpointSetting<string?> HfFile = new(
        "hf-file", null, null, SettingParsers.OptionalText, (options, value) => options with { HfFile = value },
        "Exact .gguf file to use from the Hugging Face repo given by --model.",
        describedDefault: "chosen by the quant");

    public static readonly EndpointSetting<string> Host = new(
        "host", null, "127.0.0.1", SettingParsers.Text, (options, value) => options with { Host = value },
        "Address to bind (the Python original bound 0.0.0.0; this server has no authentication).");

    public static readonly EndpointSetting<int> Port = new(
        "port", null, 8001, SettingParsers.WholeNumber(atLeast: 0), (options, value) => options with { Port = value },
        "Port to listen on; 0 picks a free one.");

    public static readonly EndpointSetting<string?> Alias = new(
        "alias", null, null, SettingParsers.OptionalText, (options, value) => options with { Alias = value },
        "Model id shown to clients and accepted in requests.",
        describedDefault: "the --model value");

    public static readonly EndpointSetting<string> LogLevel = new(
        "log-level", null, "info", SettingParsers.OneOf("debug", "info", "warning", "error", "trace", "warn"),
        (options, value) => options with { LogLevel = value },
        "debug (includes llama.cpp's own log), info (one line per request), warning or error.");

    public static readonly EndpointSetting<string> LogFormat = new(
        "log-format", null, "text", SettingParsers.OneOf("text", "json"), (options, value) => options with { LogFormat = value },
        "text (one line per entry) or json (one JSON object per line, fields as properties, for log collectors).");

    public static readonly EndpointSetting<bool> Metrics = new(
        "metrics", null, false, SettingParsers.Boolean, (options, value) => options with { Metrics = value },
        "Serve GET /metrics in Prometheus' text format: llama-server's llamacpp:* and vLLM's vllm:* names (behind the API key when keys are set).");

    public static readonly EndpointSetting<int?> CtxSize = new(
        "ctx-size", "-c", null, SettingParsers.OptionalWholeNumber(atLeast: 1), (options, value) => options with { ContextSize = value },
        "KV cache size in tokens, shared by all slots.",
        describedDefault: "the model's training context, at most 8192");

    public static readonly EndpointSetting<int> Threads = new(
        "threads", "-t", Environment.ProcessorCount, SettingParsers.WholeNumber(atLeast: 1), (options, value) => options with { Threads = value },
        $"CPU threads for inference (this machine has {Environment.ProcessorCount} cores).",
        describedDefault: "the machine's cores");

    public static readonly EndpointSetting<int> BatchSize = new(
        "batch-size", "-b", 512, SettingParsers.WholeNumber(atLeast: 1), (options, value) => options with { BatchSize = value },
        "Most tokens per decode step; longer prompts are fed in chunks.");

    public static readonly EndpointSetting<int> PrefillChunk = new(
        "prefill-chunk", null, SchedulerOptions.DefaultPrefillChunk, SettingParsers.WholeNumber(atLeast: 1),
        (options, value) => options with { PrefillChunk = value },
        "Most prompt tokens one decode step takes while other requests are generating: smaller keeps running streams smoother, larger gets a newcomer's first token sooner.");

    public static readonly EndpointSetting<double?> TargetItlMs = new(
        "target-itl-ms", null, SchedulerOptions.AutoTargetItl, SettingParsers.TargetItl,
        (options, value) => options with { TargetItlMs = value },
        "Inter-token latency a decode step aims at while streams run, in ms: prompt tokens fill what the running streams' tokens leave (at least 4, at most --prefill-chunk). auto: 2 x a full decode step's measured cost; off: every step takes a whole --prefill-chunk.",
        shownDefault: "auto");

    public static readonly EndpointSetting<int> WaveHold = new(
        "wave-hold", null, 0, SettingParsers.WaveHold,
        (options, value) => options with { WaveHoldTokens = value },
        "Requests that arrive together at an idle server: each gets its first token as soon as its own prompt is computed, and their streams then decode together once the wave's prompts are done, as long as those left to compute are at most this many tokens. auto: 4 x --batch-size; off: each stream starts at once.",
        shownDefault: "off");

    public static readonly EndpointSetting<bool?> FlashAttn = new(
        "flash-attn", "-fa", null, SettingParsers.FlashAttention, (options, value) => options with { FlashAttention = value },
        "Flash attention: auto (llama.cpp decides; on for CPU), on or off. On is faster with many parallel streams, off for long prompts on one stream (see docs/performance.md).",
        shownDefault: "auto");

    public static readonly EndpointSetting<int> NGpuLayers = new(
        "n-gpu-layers", "-ngl", 0, SettingParsers.GpuLayers, (options, value) => options with { GpuLayers = value },
        "Layers offloaded to the GPU (with a GPU build of llama.cpp, see --llama-native-dir): a number, or all. The packaged CPU libraries ignore it.");

    public static readonly EndpointSetting<int> MainGpu = new(
        "main-gpu", "-mg", 0, SettingParsers.WholeNumber(atLeast: 0), (options, value) => options with { MainGpu = value },
        "The GPU that holds the model with --split-mode none, and the intermediate results otherwise.");

    public static readonly EndpointSetting<GpuSplitMode> SplitMode = new(
        "split-mode", "-sm", GpuSplitMode.Layer, SettingParsers.SplitMode, (options, value) => options with { SplitMode = value },
        "How a model is spread over several GPUs: none (the main GPU only), layer (whole layers and their KV cache per GPU) or row (each matrix cut in rows).",
        shownDefault: "layer");

    public static readonly EndpointSetting<bool> NoMmap = new(
        "no-mmap", null, false, SettingParsers.Boolean, (options, value) => options with { NoMmap = value },
        "Read the model into allocated memory instead of mapping the file (slower to load; avoids page-outs of a mapped model).");

    public static readonly EndpointSetting<bool> Mlock = new(
        "mlock", null, false, SettingParsers.Boolean, (options, value) => options with { Mlock = value },
        "Lock the model in RAM so the system never swaps it out (needs the memory-lock limit, ulimit -l, to allow it).");

    public static readonly EndpointSetting<KvCacheType> CacheTypeK = new(
        "cache-type-k", "-ctk", KvCacheType.F16, SettingParsers.CacheType, (options, value) => options with { CacheTypeK = value },
        "How the KV cache stores keys: f16, q8_0 (about half the memory) or q4_0 (about a quarter).",
        shownDefault: "f16");

    public static readonly EndpointSetting<KvCacheType> CacheTypeV = new(
        "cache-type-v", "-ctv", KvCacheType.F16, SettingParsers.CacheType, (options, value) => options with { CacheTypeV = value },
        "How the KV cache stores values: f16, q8_0 or q4_0; a quantized value cache needs flash attention (not --flash-attn off).",
        shownDefault: "f16");

    public static readonly EndpointSetting<string?> LlamaNativeDir = new(
        "llama-native-dir", null, null, SettingParsers.OptionalText, (options, value) => options with { LlamaNativeDir = value },
        "A directory with a llama.cpp build's shared libraries (libllama, libggml…; e.g. CUDA or Vulkan) of the commit LLamaSharp binds, loaded instead of the packaged CPU ones.",
        describedDefault: "the packaged CPU libraries");

    public static readonly EndpointSetting<int> Parallel = new(
        "parallel", "-np", 4, SettingParsers.WholeNumber(atLeast: 1), (options, value) => options with { Parallel = value },
        "Requests decoded together (slots).");

    public static readonly EndpointSetting<int> MaxQueue = new(
        "max-queue", null, SchedulerOptions.DefaultMaxQueue, SettingParsers.WholeNumber(atLeast: 0), (options, value) => options with { MaxQueue = value },
        "Requests that may wait for a slot; beyond it the server answers 503.");

    public static readonly EndpointSetting<string?> ChatTemplate = new(
        "chat-template", null, null, SettingParsers.OptionalText, (options, value) => options with { ChatTemplate = value },
        "Override the model's chat template: a built-in name (chatml) or an inline Jinja template.",
        describedDefault: "the model's own");

    public static readonly EndpointSetting<string?> ChatTemplateFile = new(
        "chat-template-file", null, null, SettingParsers.OptionalText, (options, value) => options with { ChatTemplateFile = value },
        "Override the model's chat template with a Jinja file.",
        describedDefault: "the model's own");

    public static readonly EndpointSetting<ReasoningFormat> ReasoningFormat = new(
        "reasoning-format", null, StructuredOutput.ReasoningFormat.Extract, SettingParsers.ReasoningFormat,
        (options, value) => options with { ReasoningFormat = value },
        "auto or deepseek: reasoning (<think>…</think> and the families' equivalents) goes to reasoning_content; none: it stays in the content.",
        shownDefault: "auto");

    public static readonly EndpointSetting<EmbeddingPooling?> Pooling = new(
        "pooling", null, null, SettingParsers.Pooling, (options, value) => options with { Pooling = value },
        "How /v1/embeddings makes one vector from an input's token vectors: mean, cls or last.",
        describedDefault: "the model's metadata (last for a model that names none)");

    public static readonly EndpointSetting<int> EmbdNormalize = new(
        "embd-normalize", null, EmbeddingNormalization.Euclidean, SettingParsers.WholeNumber(atLeast: -1),
        (options, value) => options with { EmbeddingNormalize = value },
        "Normalisation of /v1/embeddings vectors (llama-server's): -1 none, 0 max-absolute (int16 range), 1 taxicab, 2 Euclidean (unit length, as OpenAI), above 2 that p-norm.");

    public static readonly EndpointSetting<int> PromptCacheMaxEntries = new(
        "prompt-cache-max-entries", null, 32, SettingParsers.WholeNumber(atLeast: 1), (options, value) => options with { PromptCacheMaxEntries = value },
        "Named prompt caches kept (LRU beyond it); each holds a KV sequence.");

    public static readonly EndpointSetting<double?> PromptCacheTtl = new(
        "prompt-cache-ttl", null, null, SettingParsers.PositiveSeconds, (options, value) => options with { PromptCacheTtlSeconds = value },
        "Default sliding TTL of named prompt caches, in seconds.",
        describedDefault: "none (kept until evicted)");

    /// <summary>One host-memory budget (llama-server's <c>--cache-ram</c>); <c>--prompt-cache-ram</c> is its former name.</summary>
    public static readonly EndpointSetting<int> CacheRam = new(
        "cache-ram", "--prompt-cache-ram", (int)(SchedulerOptions.DefaultCacheRamBytes >> 20), SettingParsers.WholeNumber(atLeast: 0),
        (options, value) => options with { CacheRamBytes = MebibytesToBytes(value) },
        "MiB of host memory for prompts moved out of the KV cache: the automatic prompt cache (a slot's prefix saved when the slot moves on, restored by a prompt that shares it) and named caches spilled from a full KV cache. Past it, automatic entries are dropped first (least recently used), named caches last; 0 keeps nothing.");

    public static readonly EndpointSetting<string?> PromptCacheDir = new(
        "prompt-cache-dir", null, null, SettingParsers.OptionalText, (options, value) => options with { PromptCacheDirectory = value },
        "Save named prompt caches here and reload them at start (refused if made with another model).",
        describedDefault: "none (memory only)");

    public static readonly EndpointSetting<bool> ResponsesStore = new(
        "responses-store", null, true, SettingParsers.Boolean, (options, value) => options with { ResponsesStore = value },
        "Keep /v1/responses replies in memory (unless a request sets store: false) for GET, input_items and previous_response_id; false stores none.");

    public static readonly EndpointSetting<int> ResponsesStoreMaxEntries = new(
        "responses-store-max-entries", null, 1000, SettingParsers.WholeNumber(atLeast: 1),
        (options, value) => options with { ResponsesStoreMaxEntries = value },
        "Stored responses kept; beyond it the oldest is dropped.");

    public static readonly EndpointSetting<double> ResponsesStoreTtl = new(
        "responses-store-ttl", null, 3600, text => SettingParsers.PositiveSeconds(text)!.Value,
        (options, value) => options with { ResponsesStoreTtlSeconds = value },
        "Seconds a stored response is kept after it was made.");

    public static readonly EndpointSetting<int> ResponsesKvStates = new(
        "responses-kv-states", null, 16, SettingParsers.WholeNumber(atLeast: 0),
        (options, value) => options with { ResponsesKvStates = value },
        "Stored responses whose conversation keeps its KV state (a sequence each, spilled to host memory like named caches; least recently used dropped beyond it), so previous_response_id prefills only the new turn; 0 replays the stored turns instead. Local model only.");

    public static readonly EndpointSetting<bool> StrictRequests = new(
        "strict-requests", null, false, SettingParsers.Boolean, (options, value) => options with { StrictRequests = value },
        "Refuse unknown request fields and unavailable features (store, audio, service tiers) with a 400; by default they are accepted without effect and logged at debug.");

    public static readonly EndpointSetting<bool> StrictModelName = new(
        "strict-model-name", null, false, SettingParsers.Boolean, (options, value) => options with { StrictModelName = value },
        "Refuse requests whose model is not the served id (or a provider-prefixed form of it) with a 400; by default any name is served by the one model.");

    public static readonly EndpointSetting<bool> NoWebUi = new(
        "no-webui", null, false, SettingParsers.Boolean, (options, value) => options with { NoWebUi = value },
        "Do not serve the built-in chat and status page: / and /ui answer 404 (/status stays).");

    public static readonly EndpointSetting<bool> NoWarmup = new(
        "no-warmup", null, false, SettingParsers.Boolean, (options, value) => options with { NoWarmup = value },
        "Skip the warm-up requests (a chat, a streamed chat and a completion of one token, sent to itself over HTTP) the server runs before it reports ready; the first request then pays for compiling its code path.");

    public static readonly EndpointSetting<string?> ApiKey = new(
        "api-key", null, null, SettingParsers.OptionalText, (options, value) => options with { ApiKey = value },
        "API keys, comma-separated: every route but /health, /v1/health, the web page and CORS preflights then needs one (Authorization: Bearer KEY or x-api-key: KEY).",
        describedDefault: "none (no authentication)");

    public static readonly EndpointSetting<string?> ApiKeyFile = new(
        "api-key-file", null, null, SettingParsers.OptionalText, (options, value) => options with { ApiKeyFile = value },
        "A file of API keys, one a line (# starts a comment); added to --api-key.",
        describedDefault: "none");

    public static readonly EndpointSetting<string> CacheIsolation = new(
        "cache-isolation", null, "key", SettingParsers.OneOf("key", "shared"), (options, value) => options with { CacheIsolation = value },
        "key (with more than one API key, a slot's automatic prefix is reused only by the key that computed it) or shared (any key reuses it).");

    public static readonly EndpointSetting<string?> CorsOrigins = new(
        "cors-origins", null, null, SettingParsers.OptionalText, (options, value) => options with { CorsOrigins = value },
        "Origins a browser app may call from, comma-separated, or * for any; preflights are answered. Unset: no CORS headers.",
        describedDefault: "none (no CORS)");

    public static readonly EndpointSetting<bool> CorsCredentials = new(
        "cors-credentials", null, false, SettingParsers.Boolean, (options, value) => options with { CorsCredentials = value },
        "Let browsers send credentials (cookies, browser-managed auth) cross-origin; needs listed --cors-origins, not *.");

    public static readonly EndpointSetting<int> MaxBodyBytes = new(
        "max-body-bytes", null, DefaultMaxBodyBytes, SettingParsers.WholeNumber(atLeast: 1), (options, value) => options with { MaxBodyBytes = value },
        "Largest request body in bytes; a larger one is refused with 413.");

    public static readonly EndpointSetting<string?> SslCertFile = new(
        "ssl-cert-file", null, null, SettingParsers.OptionalText, (options, value) => options with { SslCertFile = value },
        "A PEM certificate (chain) file: with --ssl-key-file, the server speaks HTTPS on its port instead of HTTP.",
        describedDefault: "none (plain HTTP)");

    public static readonly EndpointSetting<string?> SslKeyFile = new(
        "ssl-key-file", null, null, SettingParsers.OptionalText, (options, value) => options with { SslKeyFile = value },
        "The PEM private key of --ssl-cert-file (unencrypted).",
        describedDefault: "none");

    public static readonly EndpointSetting<double?> Timeout = new(
        "timeout", null, null, SettingParsers.PositiveSeconds, (options, value) => options with { TimeoutSeconds = value },
        "Seconds a request may live, from its first byte to its reply's end: then 504, or an error event on a stream that started; the generation is cancelled.",
        describedDefault: "none");

    public static readonly EndpointSetting<int?> MaxTokensLimit = new(
        "max-tokens-limit", null, null, SettingParsers.OptionalWholeNumber(atLeast: 1), (options, value) => options with { MaxTokensLimit = value },
        "Most tokens one reply may generate: a request asking for more is refused with 400; one asking for none gets this limit.",
        describedDefault: "none (the context's room)");

    public static readonly EndpointSetting<int?> MaxChoices = new(
        "max-choices", null, null, SettingParsers.OptionalWholeNumber(atLeast: 1), (options, value) => options with { MaxChoices = value },
        "Most choices (n) one request may ask for; more is refused with 400.",
        describedDefault: "none");

    /// <summary>8 MiB: far above any prompt that fits a context window as JSON, far below what would strain memory.</summary>
    public const int DefaultMaxBodyBytes = 8 << 20;

    public static readonly EndpointSetting<string?> BaseUrl = new(
        "base-url", null, null, SettingParsers.OptionalText, (options, value) => options with { BaseUrl = value },
        "A remote provider's API root (e.g. http://localhost:11434/v1); beats the provider's own *_BASE_URL variable.",
        describedDefault: "the provider's *_BASE_URL variable, else its usual address");

    public static readonly EndpointSetting<string?> UpstreamApiKey = new(
        "upstream-api-key", null, null, SettingParsers.OptionalText, (options, value) => options with { UpstreamApiKey = value },
        "This server's credential for a remote provider (a client's own key is never forwarded).",
        describedDefault: "the provider's own variable (OPENAI_API_KEY, OPENROUTER_API_KEY, …)");

    /// <summary>Every setting, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<EndpointSetting> All { get; } =
    [
        Config, Provider, Model, HfFile, BaseUrl, UpstreamApiKey, Host, Port, Alias, NoWebUi, LogLevel, LogFormat, Metrics,
        NoWarmup, CtxSize, Threads, BatchSize, PrefillChunk, TargetItlMs, WaveHold, FlashAttn, NGpuLayers, MainGpu, SplitMode, NoMmap, Mlock, CacheTypeK, CacheTypeV,
        LlamaNativeDir, Parallel, MaxQueue, ChatTemplate, ChatTemplateFile, ReasoningFormat,
        Pooling, EmbdNormalize,
        PromptCacheMaxEntries, PromptCacheTtl, CacheRam, PromptCacheDir, ResponsesStore, ResponsesStoreMaxEntries, ResponsesStoreTtl, ResponsesKvStates,
        StrictRequests, StrictModelName,
        ApiKey, ApiKeyFile, CacheIsolation, CorsOrigins, CorsCredentials, MaxBodyBytes, Timeout, MaxTokensLimit, MaxChoices, SslCertFile, SslKeyFile,
    ];

    public static long MebibytesToBytes(int mebibytes) => (long)mebibytes << 20;
}
