using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Host.Options;

/// <summary>Everything the server was started with (flags over environment over defaults).</summary>
public sealed record EndpointOptions
{
    public const int DefaultPort = 8001;

    public string Provider { get; init; } = "huggingface";

    public required string Model { get; init; }

    /// <summary>Exact GGUF file inside a Hugging Face repo (<c>--hf-file</c>).</summary>
    public string? HfFile { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The id clients see; the <c>--model</c> value when not set.</summary>
    public string? Alias { get; init; }

    public int? ContextSize { get; init; }

    public int Threads { get; init; } = Environment.ProcessorCount;

    public int BatchSize { get; init; } = 512;

    /// <summary>Most prompt tokens one step takes while other requests generate (the scheduler's chunk).</summary>
    public int PrefillChunk { get; init; } = SchedulerOptions.DefaultPrefillChunk;

    /// <summary>Flash attention on or off; null lets llama.cpp decide (on for the CPU backend).</summary>
    public bool? FlashAttention { get; init; }

    public int Parallel { get; init; } = 4;

    public int MaxQueue { get; init; } = 64;

    /// <summary>A built-in template name or an inline Jinja template.</summary>
    public string? ChatTemplate { get; init; }

    public string? ChatTemplateFile { get; init; }

    public string LogLevel { get; init; } = "info";

    /// <summary>Whether reasoning ("thinking") is split into <c>reasoning_content</c> (<c>--reasoning-format</c>).</summary>
    public ReasoningFormat ReasoningFormat { get; init; } = ReasoningFormat.Extract;

    /// <summary>Named prompt caches kept (LRU beyond it), as the original's <c>prompt_cache_max_entries</c>.</summary>
    public int PromptCacheMaxEntries { get; init; } = 32;

    /// <summary>Default sliding TTL of named caches in seconds; null keeps them until evicted.</summary>
    public double? PromptCacheTtlSeconds { get; init; }

    /// <summary>Host memory for named caches spilled out of a full KV cache; past it the oldest are dropped.</summary>
    public long PromptCacheRamBytes { get; init; } = 8L << 30;

    /// <summary>Where named caches are saved so they survive restarts; null keeps them in memory only.</summary>
    public string? PromptCacheDirectory { get; init; }

    /// <summary>Leaves the built-in chat page off (<c>--no-webui</c>): <c>/</c> and <c>/ui</c> answer 404.</summary>
    public bool NoWebUi { get; init; }

    /// <summary>How long in-flight requests may run on after SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public string ModelId => string.IsNullOrWhiteSpace(Alias) ? Model : Alias;
}
