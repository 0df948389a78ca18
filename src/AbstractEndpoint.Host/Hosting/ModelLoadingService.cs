using AbstractEndpoint.Engine;
using AbstractEndpoint.Engine.Caching;
using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Host.Security;
using AbstractEndpoint.Hub;
using AbstractEndpoint.Llama;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Prompting.Templates;
using AbstractEndpoint.StructuredOutput;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AbstractEndpoint.Host.Hosting;

/// <summary>
/// Loads the model in the background once the port is open, starts the inference loop, and on shutdown lets
/// accepted requests finish (up to <see cref="EndpointOptions.ShutdownTimeout"/>) before freeing the model.
/// A model that cannot be loaded stops the process with exit code 1 and the reason in the log.
/// </summary>
internal sealed partial class ModelLoadingService(
    EndpointOptions options,
    ModelState state,
    IHostApplicationLifetime lifetime,
    IEnumerable<IStartupGate> gates,
    IServer server,
    WarmupCredential warmup,
    ILoggerFactory loggerFactory,
    ILogger<ModelLoadingService> logger) : IHostedService
{
    /// <summary>Long enough for a large model on a slow machine to answer the warm-up's three one-token requests.</summary>
    private static readonly TimeSpan WarmupTimeout = TimeSpan.FromMinutes(2);

    private Task? _loading;

    /// <summary>
    /// The slots' sequences, then one per cache entry plus the control plane's working copies, then one per stored
    /// response's conversation state (none when responses are not stored).
    /// </summary>
    private SequenceLayout Layout => SequenceLayout.ForCaches(
        options.Parallel, options.PromptCacheMaxEntries, options.ResponsesStore ? options.ResponsesKvStates : 0);
    private LlamaRuntime? _runtime;
    private InferenceLoop? _loop;
    private PromptCacheService? _caches;
    private LocalEmbeddingBackend? _embeddings;
    private RemoteModelLoader? _remote;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var gate in gates)
                    {
                        await gate.WaitAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    return; // Shut down before loading began.
                }

                await LoadAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
            },
            CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loading is not null)
        {
            await _loading.ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            _loop.StopAccepting();
            if (!await _loop.DrainAsync(options.ShutdownTimeout).ConfigureAwait(false))
            {
                LogDrainTimedOut(options.ShutdownTimeout.TotalSeconds);
            }

            if (_caches is { } caches)
            {
                // Saves read KV state through the loop: let the last ones finish while it still runs.
                await caches.FlushAsync().ConfigureAwait(false);
            }

            _loop.Dispose();
        }

        // The embedding context runs on the weights: it goes first.
        _embeddings?.Dispose();
        _runtime?.Dispose();
        if (_remote is not null)
        {
            await _remote.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task LoadAsync(CancellationToken stopping)
    {
        if (Options.Providers.Remote(options.Provider) is { } remote)
        {
            _remote = RemoteModelLoader.Start(remote, options, state, loggerFactory.CreateLogger<RemoteModelLoader>(), stopping);
            return;
        }

        try
        {
            var started = TimeProvider.System.GetTimestamp();
            var modelPath = await ModelPathResolver.ResolveAsync(options, stopping).ConfigureAwait(false);
            LogLoading(modelPath);
            var runtimeOptions = LlamaRuntimeOptionsMapping.From(options, modelPath, Layout);
            _runtime = LlamaRuntime.Load(
                runtimeOptions,
                loggerFactory.CreateLogger("AbstractEndpoint.Llama"));
            stopping.ThrowIfCancellationRequested();
            if (!_runtime.GeneratesText)
            {
                PublishEmbeddingOnly(_runtime, started);
                return;
            }

            var template = ChatTemplateSelection.Select(options, _runtime.Info.ChatTemplate, logger);
            _loop = new InferenceLoop(
                _runtime,
                new SchedulerOptions { MaxQueue = options.MaxQueue, PrefillChunkWhileGenerating = options.PrefillChunk, TargetItlMs = options.TargetItlMs, WaveHoldTokens = options.WaveHoldTokens, Layout = Layout, CacheRamBytes = options.CacheRamBytes },
                loggerFactory.CreateLogger<InferenceLoop>());
            var output = new LocalChatBackendOptions
            {
                ReasoningFormat = options.ReasoningFormat,
                // The tool-call markup is detected from the template in use; an override's source says it.
                ChatTemplateSource = options.ChatTemplateFile is { } file ? File.ReadAllText(file) : options.ChatTemplate,
            };
            var caches = _caches = new PromptCacheService(
                _loop,
                _runtime,
                template,
                new PromptCacheStoreOptions
                {
                    MaxEntries = options.PromptCacheMaxEntries,
                    DefaultTtlSeconds = options.PromptCacheTtlSeconds,
                    Model = options.ModelId,
                    Provider = PromptCacheService.ProviderName,
                })
            {
                // Fragments are rendered with a request's thinking exactly as chat renders it.
                ReasoningSwitches = ReasoningTemplateVariables.Detect(
                    template is ChatMlTemplate ? null : output.ChatTemplateSource ?? _runtime.Info.ChatTemplate),
                Directory = options.PromptCacheDirectory is { } directory ? new PromptCacheDirectory(directory) : null,
                ModelFingerprint = options.PromptCacheDirectory is null ? "" : ModelFingerprint.Compute(modelPath),
                KvCacheTypes = runtimeOptions.KvCacheLabel,
                Warn = message => LogCacheWarning(message),
            };
            if (caches.LoadSaved() is var restored and > 0)
            {
                LogCachesRestored(restored, options.PromptCacheDirectory!);
            }

            var states = Layout.StateSequences > 0
                ? new ConversationStateCache(_loop) { Warn = message => LogCacheWarning(message) }
                : null;
            var backend = new LocalChatBackend(options.ModelId, _runtime, _loop, template, output)
            {
                PromptCaches = caches,
                ConversationStates = states,
                Logger = loggerFactory.CreateLogger<LocalChatBackend>(),
            };
            LogOutputFormat(backend.OutputFormat.Format, backend.OutputFormat.Reasons, options.ReasoningFormat);
            state.Publish(new LoadedModel(backend, Renderer: backend, PromptCaches: caches, Status: new InferenceLoopStatus(_loop))
            {
                ConversationStates = states,
                Tokenizer = new LocalTokenizer(_runtime.Vocabulary),
                TokenCounter = new LocalChatTokenCounter(backend, _runtime.Vocabulary),
                Completions = new LocalTextCompletionBackend(_runtime, _loop),
                Embeddings = _embeddings = new LocalEmbeddingBackend(
                    _runtime.Vocabulary, () => LlamaEmbeddingContext.Create(_runtime, options.Pooling, options.Threads), options.EmbeddingNormalize,
                    scheduler: _loop),
                Properties = _runtime.Describe(
                    options.Parallel, template.Name, output.ChatTemplateSource ?? (template is ChatMlTemplate ? template.Name : _runtime.Info.ChatTemplate ?? template.Name)),
            });
            if (!options.NoWarmup)
            {
                // Published but not yet ready: a client polling /health never meets the cold path.
                await WarmUpAsync(_loop, stopping).ConfigureAwait(false);
            }

            state.MarkReady();
            LogReady(options.ModelId, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds,
                _runtime.Info.ContextSize, options.Parallel, options.Threads, template.Name);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shut down while loading: nothing to report.
        }
#pragma warning disable CA1031 // Any load failure ends the process with its reason, never an unhandled crash.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Expected failures carry a message written for the user; anything else keeps its stack trace.
            var reason = ex is ModelLoadException or ModelResolutionException or ArgumentException or IOException
                ? ex.Message : ex.ToString();
            state.SetFailed(reason);
            LogLoadFailed(reason);
            Environment.ExitCode = 1;
            // Stop once started: stopping while Kestrel is still binding only adds a confusing cancellation error.
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
        }
    }

    // An encoder-only model has no generation: no inference loop, no caches, no warm-up; its embeddings, tokenizer
    // and facts are served as any model's.
    private void PublishEmbeddingOnly(LlamaRuntime runtime, long started)
    {
        var refusal = new EmbeddingOnlyBackend(options.ModelId, runtime.Architecture);
        state.SetReady(new LoadedModel(refusal, Renderer: null, PromptCaches: null, Status: null)
        {
            Tokenizer = new LocalTokenizer(runtime.Vocabulary),
            Completions = refusal,
            Embeddings = _embeddings = new LocalEmbeddingBackend(
                runtime.Vocabulary, () => LlamaEmbeddingContext.Create(runtime, options.Pooling, options.Threads), options.EmbeddingNormalize),
            Properties = runtime.Describe(options.Parallel, "none", ""),
        });
        LogEmbeddingOnly(options.ModelId, runtime.Architecture, TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "model '{ModelId}' ready in {Ms:F0} ms: an embedding model (architecture {Architecture}, encoder only): /v1/embeddings only, generation routes answer 400")]
    private partial void LogEmbeddingOnly(string modelId, string architecture, double ms);

    /// <summary>
    /// Runs <see cref="HttpWarmup"/> once Kestrel listens, then frees the slots it used, so the server starts with an
    /// empty KV cache as it would without it. A warm-up that fails (a template that refuses its one user turn, an
    /// address it cannot reach) only logs why: the first request then pays for it, as under <c>--no-warmup</c>.
    /// </summary>
    private async Task WarmUpAsync(InferenceLoop loop, CancellationToken stopping)
    {
        var pass = warmup.Issue();
        try
        {
            await WhenListeningAsync(stopping).ConfigureAwait(false);
            var started = TimeProvider.System.GetTimestamp();
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("the server reports no address");
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            bounded.CancelAfter(WarmupTimeout);
            await HttpWarmup.RunAsync(HttpWarmup.Reachable(address), options.ModelId, pass, bounded.Token).ConfigureAwait(false);
            LogWarmedUp(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever stops the warm-up, the server still serves: the reason goes to the log.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogWarmupFailed(ex is OperationCanceledException ? $"no reply within {WarmupTimeout.TotalSeconds} s" : ex.Message);
        }
        finally
        {
            warmup.Revoke();
        }

        await loop.ClearIdleSlotsAsync().ConfigureAwait(false);
    }

    private async Task WhenListeningAsync(CancellationToken stopping)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => listening.TrySetResult());
        await listening.Task.WaitAsync(stopping).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "warmed up in {Ms:F0} ms (chat, streamed chat and completion, one token each, over HTTP)")]
    private partial void LogWarmedUp(double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "warm-up skipped: {Reason}")]
    private partial void LogWarmupFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "loading model {Path}")]
    private partial void LogLoading(string path);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "model '{ModelId}' ready in {Ms:F0} ms: context {Context} tokens, {Parallel} slots, {Threads} threads, template {Template}")]
    private partial void LogReady(string modelId, double ms, int context, int parallel, int threads, string template);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "tool calls in the {Format} format (from the chat template); reasoning block known: {Reasons}; reasoning format: {ReasoningFormat}")]
    private partial void LogOutputFormat(ToolCallFormat format, bool reasons, ReasoningFormat reasoningFormat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private partial void LogCacheWarning(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "restored {Count} prompt caches from {Directory}")]
    private partial void LogCachesRestored(int count, string directory);

    [LoggerMessage(Level = LogLevel.Critical, Message = "the model could not be loaded: {Reason}")]
    private partial void LogLoadFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shutdown: requests still running after {Seconds} s were cut off")]
    private partial void LogDrainTimedOut(double seconds);
}
