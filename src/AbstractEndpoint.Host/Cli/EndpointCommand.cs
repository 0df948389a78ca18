using System.CommandLine;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Host.Hosting;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;
using AbstractEndpoint.StructuredOutput;

namespace AbstractEndpoint.Host.Cli;

/// <summary>
/// The <c>abstractcore-endpoint</c> command line. Flags keep the Python original's names and environment
/// variables (<c>ABSTRACTENDPOINT_*</c>); a flag beats its variable, and a blank variable counts as unset.
/// </summary>
internal static class EndpointCommand
{
    /// <summary>llama.cpp's limit on sequences in one context (<c>llama_max_parallel_sequences</c>).</summary>
    private const int MaxSequences = 256;

    /// <summary>Parses the command line and runs the server (or <paramref name="run"/>, for tests).</summary>
    public static Task<int> RunAsync(
        string[] args,
        IEnvironment? environment = null,
        Func<EndpointOptions, CancellationToken, Task<int>>? run = null)
    {
        var env = environment ?? ProcessEnvironment.Instance;
        run ??= EndpointServer.RunAsync;
        var provider = new Option<string?>("--provider") { Description = "Provider: huggingface (GGUF via llama.cpp; also 'gguf', 'llamacpp'). Env: ABSTRACTENDPOINT_PROVIDER. Default: huggingface." };
        var model = new Option<string?>("--model") { Description = "Path to a .gguf file, or a Hugging Face repo id 'org/name[:QUANT]'. Env: ABSTRACTENDPOINT_MODEL. Required." };
        var hfFile = new Option<string?>("--hf-file") { Description = "Exact .gguf file to use from the Hugging Face repo given by --model." };
        var host = new Option<string?>("--host") { Description = "Address to bind. Env: ABSTRACTENDPOINT_HOST. Default: 127.0.0.1 (the Python original bound 0.0.0.0)." };
        var port = new Option<int?>("--port") { Description = "Port to listen on. Env: ABSTRACTENDPOINT_PORT. Default: 8001." };
        var alias = new Option<string?>("--alias") { Description = "Model id shown to clients (default: the --model value)." };
        var ctxSize = new Option<int?>("--ctx-size", "-c") { Description = "KV cache size in tokens, shared by all slots. Default: the model's training context, at most 8192." };
        var threads = new Option<int?>("--threads", "-t") { Description = $"CPU threads for inference. Default: the machine's cores ({Environment.ProcessorCount})." };
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = "Most tokens per decode step; longer prompts are fed in chunks. Default: 512." };
        var flashAttention = new Option<string?>("--flash-attn", "-fa") { Description = "Flash attention: auto (llama.cpp decides; on for CPU), on or off. On is faster with many parallel streams, off for long prompts on one stream (see docs/performance.md). Default: auto." };
        var prefillChunk = new Option<int?>("--prefill-chunk") { Description = $"Most prompt tokens one decode step takes while other requests are generating: smaller keeps running streams smoother, larger gets a newcomer's first token sooner. Default: {SchedulerOptions.DefaultPrefillChunk}." };
        var parallel = new Option<int?>("--parallel", "-np") { Description = "Requests decoded together (slots). Default: 4." };
        var maxQueue = new Option<int?>("--max-queue") { Description = "Requests that may wait for a slot; beyond it the server answers 503. Default: 64." };
        var chatTemplate = new Option<string?>("--chat-template") { Description = "Override the model's chat template: a built-in name (chatml) or an inline Jinja template." };
        var chatTemplateFile = new Option<string?>("--chat-template-file") { Description = "Override the model's chat template with a Jinja file." };
        var cacheEntries = new Option<int?>("--prompt-cache-max-entries") { Description = "Named prompt caches kept (LRU beyond it); each holds a KV sequence. Default: 32." };
        var cacheTtl = new Option<double?>("--prompt-cache-ttl") { Description = "Default sliding TTL of named prompt caches, in seconds. Default: none." };
        var cacheDir = new Option<string?>("--prompt-cache-dir") { Description = "Save named prompt caches here and reload them at start (refused if made with another model). Default: memory only." };
        var reasoningFormat = new Option<string?>("--reasoning-format") { Description = "auto or deepseek: reasoning (<think>…</think> and the families' equivalents) goes to reasoning_content; none: it stays in the content. Default: auto." };
        var cacheRam = new Option<int?>("--prompt-cache-ram") { Description = "MiB of host memory for named caches moved out of a full KV cache; past it the least recently used are dropped. Default: 8192." };
        var noWebUi = new Option<bool>("--no-webui") { Description = "Do not serve the built-in chat and status page at / and /ui." };
        var logLevel = new Option<string?>("--log-level") { Description = "debug, info, warning or error. Default: info." };

        var root = new RootCommand("AbstractEndpoint: a single-model OpenAI-compatible /v1 server for GGUF models (llama.cpp in-process).");
        foreach (var option in new Option[] { provider, model, hfFile, host, port, alias, ctxSize, threads, batchSize, prefillChunk, flashAttention, parallel, maxQueue, chatTemplate, chatTemplateFile, cacheEntries, cacheTtl, cacheDir, cacheRam, reasoningFormat, noWebUi, logLevel })
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(RenderTemplateCommand.Create());
        root.SetAction(async (result, cancellationToken) =>
        {
            EndpointOptions options;
            try
            {
                options = new EndpointOptions
                {
                    Provider = result.GetValue(provider) ?? env.Get("ABSTRACTENDPOINT_PROVIDER") ?? "huggingface",
                    Model = result.GetValue(model) ?? env.Get("ABSTRACTENDPOINT_MODEL")
                        ?? throw new UsageException("No model given: pass --model PATH.gguf (or org/name) or set ABSTRACTENDPOINT_MODEL."),
                    HfFile = result.GetValue(hfFile),
                    Host = result.GetValue(host) ?? env.Get("ABSTRACTENDPOINT_HOST") ?? "127.0.0.1",
                    Port = Positive(result.GetValue(port) ?? ParseInt(env.Get("ABSTRACTENDPOINT_PORT"), "ABSTRACTENDPOINT_PORT") ?? EndpointOptions.DefaultPort, "--port", allowZero: true),
                    Alias = result.GetValue(alias),
                    ContextSize = result.GetValue(ctxSize) is { } c ? Positive(c, "--ctx-size") : null,
                    Threads = Positive(result.GetValue(threads) ?? Environment.ProcessorCount, "--threads"),
                    BatchSize = Positive(result.GetValue(batchSize) ?? 512, "--batch-size"),
                    FlashAttention = ParseFlashAttention(result.GetValue(flashAttention)),
                    PrefillChunk = Positive(result.GetValue(prefillChunk) ?? SchedulerOptions.DefaultPrefillChunk, "--prefill-chunk"),
                    Parallel = Positive(result.GetValue(parallel) ?? 4, "--parallel"),
                    MaxQueue = Positive(result.GetValue(maxQueue) ?? 64, "--max-queue", allowZero: true),
                    ChatTemplate = result.GetValue(chatTemplate),
                    ChatTemplateFile = result.GetValue(chatTemplateFile),
                    LogLevel = result.GetValue(logLevel) ?? "info",
                    NoWebUi = result.GetValue(noWebUi),
                    ReasoningFormat = ParseReasoningFormat(result.GetValue(reasoningFormat)),
                    PromptCacheDirectory = result.GetValue(cacheDir),
                    PromptCacheRamBytes = (long)Positive(result.GetValue(cacheRam) ?? 8192, "--prompt-cache-ram", allowZero: true) << 20,
                    PromptCacheMaxEntries = Positive(result.GetValue(cacheEntries) ?? 32, "--prompt-cache-max-entries"),
                    PromptCacheTtlSeconds = result.GetValue(cacheTtl) is { } ttl && ttl > 0 ? ttl
                        : result.GetValue(cacheTtl) is null ? null : throw new UsageException("--prompt-cache-ttl must be positive."),
                };
                if (options.Parallel + options.PromptCacheMaxEntries + 2 > MaxSequences)
                {
                    throw new UsageException(
                        $"--parallel plus --prompt-cache-max-entries must stay within {MaxSequences - 2} (llama.cpp's sequence limit).");
                }
                if (Providers.Check(options.Provider) is { } problem)
                {
                    throw new UsageException(problem);
                }
            }
            catch (UsageException ex)
            {
                await Console.Error.WriteLineAsync("abstractcore-endpoint: " + ex.Message).ConfigureAwait(false);
                return 2;
            }

            return await run(options, cancellationToken).ConfigureAwait(false);
        });

        // The web host handles SIGTERM itself (stop accepting, drain, exit 0); System.CommandLine's own handler
        // would end the process after two seconds and cut running streams.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    // llama-server's names: "deepseek" extracts reasoning, "auto" (its default) does too, "none" leaves it inline.
    private static ReasoningFormat ParseReasoningFormat(string? value) => value?.ToLowerInvariant() switch
    {
        null or "auto" or "deepseek" => ReasoningFormat.Extract,
        "none" => ReasoningFormat.None,
        _ => throw new UsageException($"--reasoning-format must be none, auto or deepseek, got '{value}'."),
    };

    private static bool? ParseFlashAttention(string? text) =>
        LlamaRuntimeOptions.TryParseFlashAttention(text, out var value) ? value
        : throw new UsageException($"--flash-attn must be auto, on or off, got '{text}'.");

    private static int? ParseInt(string? text, string name) =>
        text is null ? null
        : int.TryParse(text, out var value) ? value
        : throw new UsageException($"{name} must be a whole number, got '{text}'.");

    private static int Positive(int value, string name, bool allowZero = false) =>
        value > 0 || (allowZero && value == 0) ? value : throw new UsageException($"{name} must be {(allowZero ? "zero or more" : "at least 1")}, got {value}.");
}
