using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.Prompting.Templates;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// Named prompt caches on llama.cpp KV sequences: the control plane's set/update/fork/clear/prepare_modules
/// (through <see cref="PromptCacheManager{TPayload}"/>) and the binding of chat requests to a cache. Every KV
/// change is a command or job on the inference loop; this class only decides what to ask for.
/// </summary>
/// <remarks>
/// Threading. The caches' state (tokens, residency, conversation) belongs to the inference loop, which publishes it
/// as a snapshot (<see cref="InferenceLoop.Caches"/>); this service keeps only the store (keys, LRU, TTL, meta) and
/// the free sequences, under one short lock (<c>_lock</c>) that is never held while waiting for the loop. KV
/// commands (reset, copy, drop) are queued on the loop without waiting: the loop runs them in order, before any job
/// submitted after them. Control-plane calls run one at a time (<c>_control</c>, which chat requests never take);
/// their one long wait, an update's prefill, is a background job awaited with <c>_lock</c> released, and their reply
/// waits, with no lock held, until the commands they queued have run. A chat request that names no cache, while no
/// default key is set, reads one volatile field and takes no lock at all; one with a key binds under <c>_lock</c>
/// briefly, and creates a new key's cache only after the request has been validated.
/// </remarks>
public sealed class PromptCacheService : IPromptCacheBackend<NamedCache>, IPromptCacheControl
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _control = new(1, 1);
    private readonly InferenceLoop _loop;
    private readonly IModelRuntime _runtime;
    private readonly IChatTemplate _template;
    private readonly Stack<int> _freeSequences;
    private readonly PromptCacheManager<NamedCache> _manager;

    // The store's default key as of the last change, for the lock-free check of keyless chat requests.
    private volatile string? _defaultKey;
    private long _nextOwner;

    // Background saves to the directory: the chain of saves, and whether one is queued but not yet started.
    private readonly Lock _saveGate = new();
    private Task _saving = Task.CompletedTask;
    private bool _saveQueued;

    // Files of removed caches, deleted by the next save (guarded by _lock).
    private readonly List<string> _pendingDeletes = [];

    /// <summary>Named caches on the cache sequences of <paramref name="loop"/>'s <see cref="InferenceLoop.Layout"/>.</summary>
    public PromptCacheService(InferenceLoop loop, IModelRuntime runtime, IChatTemplate template, PromptCacheStoreOptions storeOptions)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
        _runtime = runtime;
        _template = template;
        _freeSequences = new Stack<int>(loop.Layout.CacheSequenceIds.Reverse());
        _manager = new PromptCacheManager<NamedCache>(new PromptCacheStore<NamedCache>(storeOptions), this);
        loop.CacheAdvanced += ScheduleSave;
    }

    /// <summary>The provider name our caches record (meta <c>backend</c> and <c>provider</c>).</summary>
    public const string ProviderName = "llama_cpp";

    public string Name => ProviderName;

    /// <summary>The whole control plane; save and load (to the directory, no HTTP routes) only with one.</summary>
    public PromptCacheCapabilities Capabilities => PromptCacheCapabilities.LocalControlPlane(Directory is not null);

    /// <summary>The template's reasoning switches: a fragment's <c>thinking</c> is rendered as a chat request's is.</summary>
    public ReasoningTemplateVariables ReasoningSwitches { get; init; } = ReasoningTemplateVariables.Detect(null);

    /// <summary>Where caches are saved so they survive restarts (<c>--prompt-cache-dir</c>); null keeps them in memory only.</summary>
    public PromptCacheDirectory? Directory { get; init; }

    /// <summary>The loaded model's <see cref="Caching.ModelFingerprint"/>; saved caches of another model are refused.</summary>
    public string ModelFingerprint { get; init; } = "";

    /// <summary>The KV cache types when nothing says otherwise: f16 keys and values, llama.cpp's default.</summary>
    public const string DefaultKvCacheTypes = "k=f16 v=f16";

    /// <summary>The context's KV cache types (<see cref="SavedCache.KvCacheTypes"/>); saved states of other types are refused.</summary>
    public string KvCacheTypes { get; init; } = DefaultKvCacheTypes;

    /// <summary>Receives warnings (a saved cache refused, a save that failed).</summary>
    public Action<string> Warn { get; init; } = static _ => { };

    /// <summary>
    /// Restores the caches saved in <see cref="Directory"/>, least recently used first (so the LRU order survives);
    /// a file made with another model, or whose state llama.cpp refuses, is skipped with a warning and never loaded.
    /// </summary>
    public int LoadSaved()
    {
        if (Directory is null)
        {
            return 0;
        }

        lock (_lock)
        {
            var restored = 0;
            foreach (var (saved, state) in Directory.LoadAll((file, why) => Warn($"prompt cache file {file} skipped: {why}")))
            {
                if (saved.ModelFingerprint != ModelFingerprint)
                {
                    Warn($"prompt cache '{saved.Key}' was saved for another model (fingerprint {saved.ModelFingerprint[..12]}…); not loaded");
                    continue;
                }

                if (saved.KvCacheTypes != KvCacheTypes)
                {
                    // llama.cpp would read the bytes as the wrong type: refuse rather than restore garbage.
                    Warn($"prompt cache '{saved.Key}' was saved with KV cache types {saved.KvCacheTypes}, this server runs {KvCacheTypes}; not loaded");
                    continue;
                }

                if (!_freeSequences.TryPop(out var sequence))
                {
                    Warn($"prompt cache '{saved.Key}' not loaded: no free cache sequence");
                    break;
                }

                var owner = Interlocked.Increment(ref _nextOwner);
                var conversation = new CacheConversation(ConversationJson.Read(saved.Conversation), ConversationJson.ReadTools(saved.Tools));
                try
                {
                    // Start-up, before any request: waiting for the loop here holds nobody up.
                    _loop.RestoreCacheAsync(sequence, owner, state, saved.Tokens, conversation).GetAwaiter().GetResult();
                }
                catch (InvalidDataException ex)
                {
                    _freeSequences.Push(sequence);
                    Warn($"prompt cache '{saved.Key}' not loaded: {ex.Message}");
                    continue;
                }

                var cache = new NamedCache(sequence, owner) { SavedVersion = 0, SavedAs = saved.Key };
                _manager.Store.Set(saved.Key, cache, saved.TtlSeconds, saved.Meta, saved.Immutable);
                restored++;
            }

            if (Directory.LoadDefaultKey() is { } defaultKey && _manager.Store.TryPeek(defaultKey, out _))
            {
                _manager.Store.SetDefaultKey(defaultKey);
            }

            _manager.ReleaseRemoved();
            _defaultKey = _manager.Store.DefaultKey;
            return restored;
        }
    }

    /// <summary>
    /// Runs a control-plane operation: one at a time, under the cache lock (released while the loop prefills). The
    /// reply waits, with no lock held, until the KV commands it queued have run, so what the client does next (a
    /// chat on a forked key, a stats read) sees them.
    /// </summary>
    private T Run<T>(Func<PromptCacheManager<NamedCache>, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _control.Wait();
        try
        {
            lock (_lock)
            {
                try
                {
                    return operation(_manager);
                }
                finally
                {
                    _defaultKey = _manager.Store.DefaultKey;
                }
            }
        }
        finally
        {
            AwaitQueuedCommands();
            _control.Release();
            ScheduleSave();
        }
    }

    private void AwaitQueuedCommands()
    {
        try
        {
            _loop.CacheCommandsDoneAsync().GetAwaiter().GetResult();
        }
        catch (Core.Errors.ServerBusyException)
        {
            // The loop is stopping: the commands will never run, and the reply no longer matters.
        }
    }

    /// <summary>
    /// The original's stats. Each entry's <c>token_count</c> and <c>location</c> are read from the loop's snapshot
    /// at this moment (never mirrored into the store), so a spill or a turn shows at once. Takes only the short cache
    /// lock: stats answer while an update prefills.
    /// </summary>
    public PromptCacheStats Stats()
    {
        PromptCacheStats stats;
        var handles = new Dictionary<string, NamedCache>(StringComparer.Ordinal);
        lock (_lock)
        {
            stats = _manager.Store.GetStats();
            foreach (var key in stats.Keys)
            {
                if (_manager.Store.TryPeek(key, out var entry))
                {
                    handles[key] = entry.Payload;
                }
            }

            _manager.ReleaseRemoved(); // Expired entries the stats read purged.
        }

        var caches = _loop.Caches;
        foreach (var (key, meta) in stats.MetaByKey)
        {
            if (handles.TryGetValue(key, out var cache) && caches.Find(cache.Sequence, cache.Owner) is { } info)
            {
                SetBefore(meta, PromptCacheMetaKeys.TokenCount, info.TokenCount, PromptCacheMetaKeys.Hits);
                meta[PromptCacheMetaKeys.FedTokenCount] = info.TokenCount; // Every token a cache holds was fed to it.
                meta[PromptCacheMetaKeys.Bytes] = info.StateBytes;
                meta[PromptCacheMetaKeys.Location] = info.Location == PromptCacheLocation.Ram ? "ram" : "kv";
            }
        }

        return stats;
    }

    /// <summary>The loop's record of a key's cache (without using the key); null when absent or not created yet.</summary>
    internal CacheSequenceInfo? Describe(string key)
    {
        lock (_lock)
        {
            return _manager.Store.TryPeek(key, out var entry) ? _loop.Caches.Find(entry.Payload.Sequence, entry.Payload.Owner) : null;
        }
    }

    /// <summary>Sets a meta field in place, or inserts it before <paramref name="before"/> (the store's bookkeeping comes last).</summary>
    private static void SetBefore(JsonObject meta, string name, JsonNode value, string before)
    {
        if (meta.ContainsKey(name))
        {
            meta[name] = value;
        }
        else if (meta.IndexOf(before) is var index and >= 0)
        {
            meta.Insert(index, name, value);
        }
        else
        {
            meta[name] = value;
        }
    }

    public bool Set(PromptCacheSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(manager => manager.Set(request.Key, request.MakeDefault, request.TtlSeconds));
    }

    public bool Update(PromptCacheUpdateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(manager => manager.Update(request.Key, request.ToFragment(), request.Reader, request.TtlSeconds));
    }

    public bool Fork(PromptCacheForkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(manager => manager.Fork(request.FromKey, request.ToKey, request.MakeDefault, request.TtlSeconds));
    }

    public bool Clear(PromptCacheClearRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(manager => manager.Clear(request.Key));
    }

    public PromptCachePrepareResult PrepareModules(PromptCachePrepareModulesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(manager => manager.PrepareModules(
            request.Namespace, request.Modules, request.Reader, request.MakeDefault, request.TtlSeconds, request.Version, request.Reasoning));
    }

    /// <summary>
    /// Binds a chat request to its cache (its <c>prompt_cache_key</c>, else the default key). Messages that begin
    /// with the cache's conversation are used as sent (a client resending the full history); otherwise they are a
    /// delta appended after it. Null when the request names no cache: then no lock is taken at all.
    /// </summary>
    /// <param name="request">The chat request.</param>
    /// <param name="validate">
    /// Checks the request (throwing its client error) before an unknown key's cache is created, so a request that
    /// will be refused never leaves a cache behind.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait for the loop.</param>
    public async Task<BoundCacheRequest?> BindAsync(
        ChatRequest request, Action<ChatRequest> validate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(validate);
        var key = PromptCacheKeys.Normalize(request.PromptCacheKey) ?? _defaultKey;
        if (key is null)
        {
            return null; // The common case: no cache involved, no lock taken.
        }

        PromptCacheEntry<NamedCache>? entry;
        lock (_lock)
        {
            _manager.Store.TryGet(key, out entry);
        }

        if (entry is null)
        {
            validate(request);
            lock (_lock)
            {
                try
                {
                    entry = _manager.GetOrCreate(key);
                }
                finally
                {
                    _defaultKey = _manager.Store.DefaultKey;
                }
            }

            if (entry is null)
            {
                return null; // No free sequence: the request runs without a cache.
            }
        }

        var cache = entry.Payload;
        if (_loop.Caches.Find(cache.Sequence, cache.Owner) is not { } info)
        {
            // Made by a command still queued on the loop (a new key, a fork that just answered): wait for it, with no
            // lock held. If the cache is gone even then, it was freed meanwhile and binds as empty (the loop will
            // neither read nor advance it).
            await _loop.CacheCommandsDoneAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            info = _loop.Caches.Find(cache.Sequence, cache.Owner);
        }

        var conversation = info?.Conversation ?? CacheConversation.Empty;
        var messages = StartsWith(request.Messages, conversation.Messages)
            ? request.Messages
            : [.. conversation.Messages, .. request.Messages];
        var tools = request.Tools.Count > 0 ? request.Tools : conversation.Tools;
        return new BoundCacheRequest(
            request with { Messages = messages, Tools = tools },
            new CacheBinding(cache.Sequence, cache.Owner, Advance: !entry.Immutable, new CacheConversation(messages, tools)))
        {
            Key = key,
            TokensAtBind = info?.TokenCount ?? 0,
            SpilledAtBind = info?.Location == PromptCacheLocation.Ram,
        };
    }

    /// <summary>Completes when every change made so far is on disk (called at shutdown, before the loop stops).</summary>
    public Task FlushAsync()
    {
        lock (_saveGate)
        {
            return _saving;
        }
    }

    /// <summary>
    /// Saves changed caches in the background, off the caller's path: a fork answers as soon as its cells are
    /// shared, not after megabytes of KV state reach the disk. Saves run one at a time; requests for a save while
    /// one is queued are folded into it. Also called on the loop thread after a turn advanced a cache: it only
    /// queues.
    /// </summary>
    private void ScheduleSave()
    {
        if (Directory is null)
        {
            return;
        }

        lock (_saveGate)
        {
            if (_saveQueued)
            {
                return;
            }

            _saveQueued = true;
            _saving = _saving.ContinueWith(
                _ =>
                {
                    // Cleared before saving: a change made during this save queues the next one.
                    lock (_saveGate)
                    {
                        _saveQueued = false;
                    }

                    SaveChanges();
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Writes every change to the directory. Under the cache lock it only lists the entries whose loop version
    /// differs from the one saved, with their store fields; each one's KV state, tokens and conversation are then
    /// read together by one command on the loop (so they match, whatever the loop did meanwhile), and the files are
    /// written with no lock held, so control-plane calls and chat requests never wait for them. Saves run one at a
    /// time and apply their deletes first, so the files follow the order of the changes. A failed save is a warning.
    /// </summary>
    private void SaveChanges()
    {
        if (Directory is null)
        {
            return;
        }

        try
        {
            List<string> deletes;
            var writes = new List<(SavedCache Cache, NamedCache Handle, Task<(byte[] State, int[] Tokens, CacheConversation Conversation, long Version)?> Read)>();
            string? defaultKey;
            var caches = _loop.Caches;
            lock (_lock)
            {
                deletes = [.. _pendingDeletes];
                _pendingDeletes.Clear();
                foreach (var key in _manager.Store.Keys)
                {
                    if (!_manager.Store.TryPeek(key, out var entry)
                        || caches.Find(entry.Payload.Sequence, entry.Payload.Owner) is not { } info
                        || (info.Version == entry.Payload.SavedVersion && entry.Payload.SavedAs == key))
                    {
                        continue;
                    }

                    writes.Add((new SavedCache
                    {
                        Key = key,
                        ModelFingerprint = ModelFingerprint,
                        KvCacheTypes = KvCacheTypes,
                        Tokens = [],
                        Conversation = [],
                        Tools = [],
                        Immutable = entry.Immutable,
                        TtlSeconds = entry.TtlSeconds,
                        Meta = (JsonObject)entry.Meta.DeepClone(),
                        LastUsedAt = entry.LastUsedAt.ToUnixTimeMilliseconds() / 1000.0,
                    }, entry.Payload, _loop.ReadCacheAsync(entry.Payload.Sequence, entry.Payload.Owner)));
                    entry.Payload.SavedAs = key;
                }

                defaultKey = _manager.Store.DefaultKey;
            }

            deletes.ForEach(Directory.Delete);
            foreach (var (cache, handle, read) in writes)
            {
                if (read.GetAwaiter().GetResult() is not { } content)
                {
                    continue; // Freed meanwhile; its file goes with the next save's deletes.
                }

                Directory.Save(
                    cache with
                    {
                        Tokens = content.Tokens,
                        Conversation = ConversationJson.Write(content.Conversation.Messages),
                        Tools = ConversationJson.WriteTools(content.Conversation.Tools),
                    },
                    content.State);
                lock (_lock)
                {
                    handle.SavedVersion = content.Version;
                }
            }

            Directory.SaveDefaultKey(defaultKey);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Core.Errors.ServerBusyException)
        {
            Warn($"prompt caches could not be saved: {ex.Message}");
        }
    }

    public bool TryCreate([MaybeNullWhen(false)] out NamedCache payload)
    {
        payload = null;
        if (!_freeSequences.TryPop(out var sequence))
        {
            return false;
        }

        payload = new NamedCache(sequence, Interlocked.Increment(ref _nextOwner));
        Observe(_loop.ResetCacheAsync(sequence, payload.Owner)); // Ordered on the loop before any later use.
        return true;
    }

    public bool TryClone(NamedCache source, [MaybeNullWhen(false)] out NamedCache clone)
    {
        ArgumentNullException.ThrowIfNull(source);
        clone = null;
        if (!_freeSequences.TryPop(out var sequence))
        {
            return false;
        }

        clone = new NamedCache(sequence, Interlocked.Increment(ref _nextOwner));
        Observe(_loop.CopyCacheAsync(source.Sequence, sequence, clone.Owner)); // Ordered on the loop before any later use.
        return true;
    }

    /// <summary>
    /// Prefills the fragment into the cache as a background job. Called by the manager under the cache lock, which
    /// it releases for the whole wait (other control-plane calls stay out, held by <c>_control</c>): chat requests
    /// bind meanwhile. False when the prompt does not fit, the job fails, or the cache was freed meanwhile.
    /// </summary>
    public bool TryAppend(NamedCache target, PromptCacheAppend fragment)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(fragment);
        bool appended;
        _lock.Exit();
        try
        {
            appended = Append(target, fragment);
        }
        finally
        {
            _lock.Enter();
        }

        return appended && !target.Released;
    }

    private bool Append(NamedCache target, PromptCacheAppend fragment)
    {
        // The conversation the cache holds once the commands queued before (its creation or copy) have run.
        _loop.CacheCommandsDoneAsync().GetAwaiter().GetResult();
        if (_loop.Caches.Find(target.Sequence, target.Owner) is not { } info)
        {
            return false;
        }

        var messages = new List<ChatMessage>(info.Conversation.Messages);
        if (!string.IsNullOrEmpty(fragment.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, fragment.SystemPrompt));
        }

        messages.AddRange(fragment.Messages);
        if (!string.IsNullOrEmpty(fragment.Prompt))
        {
            messages.Add(new ChatMessage(ChatRole.User, fragment.Prompt));
        }

        var tools = fragment.Tools.Count > 0 ? fragment.Tools : info.Conversation.Tools;
        if (messages.Count == info.Conversation.Messages.Count && ReferenceEquals(tools, info.Conversation.Tools))
        {
            return true; // Nothing to add.
        }

        var prompt = _template.Render(new ChatTemplateInput
        {
            Messages = messages,
            Tools = tools,
            AddGenerationPrompt = fragment.AddGenerationPrompt,
            BosToken = _runtime.Vocabulary.BosText,
            EosToken = _runtime.Vocabulary.EosText,
            Variables = ReasoningSwitches.Apply(fragment.Reasoning, new Dictionary<string, System.Text.Json.Nodes.JsonNode?>()),
        });
        var tokens = PromptTokenizer.Tokenize(_runtime.Vocabulary, prompt);
        if (tokens.Length == 0)
        {
            throw new PromptCacheOperationException(PromptCacheErrorCodes.AppendFailed, "the cache's conversation plus the fragment renders to no tokens");
        }

        if (tokens.Length >= _runtime.Info.ContextSize)
        {
            throw new PromptCacheOperationException(
                PromptCacheErrorCodes.AppendFailed,
                $"the cache's conversation plus the fragment renders to {tokens.Length} tokens ({info.TokenCount} already "
                + $"cached), which does not fit the context of {_runtime.Info.ContextSize} tokens (--ctx-size)");
        }

        // Prefill only, on a slot, as background work behind interactive requests; when it finishes, the loop moves
        // the cells and the new conversation into the cache in one step.
        var job = new GenerationJob
        {
            PromptTokens = tokens,
            Sampling = new SamplingOptions { Temperature = 0 },
            MaxNewTokens = 0,
            Cache = new CacheBinding(target.Sequence, target.Owner, Advance: true, new CacheConversation(messages, tools)),
            Background = true,
        };
        _loop.Submit(job);
        if (WaitForFinish(job) is { } failure)
        {
            throw new PromptCacheOperationException(
                PromptCacheErrorCodes.AppendFailed, $"prefilling the fragment ({tokens.Length} tokens) failed: {failure.Message}", failure);
        }

        return true;
    }

    /// <summary>Tokens the cache holds as of the loop's last change; null while its creation is still queued.</summary>
    public int? CountTokens(NamedCache payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return _loop.Caches.Find(payload.Sequence, payload.Owner)?.TokenCount;
    }

    public void Release(NamedCache payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        payload.Released = true;
        Observe(_loop.DropCacheAsync(payload.Sequence, payload.Owner)); // Ordered on the loop before the sequence's next use.
        _freeSequences.Push(payload.Sequence);
        if (payload.SavedAs is { } key && Directory is not null)
        {
            // Deleted by the next save, in order with the writes.
            _pendingDeletes.Add(key);
            ScheduleSave();
        }
    }

    /// <summary>A queued KV command nobody waits for: it can only fail when the loop is stopping; say so.</summary>
    private void Observe(Task command) => command.ContinueWith(
        t => Warn($"prompt cache command failed: {t.Exception!.GetBaseException().Message}"),
        CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    /// <summary>Null when the prefill finished; else why it did not.</summary>
    private static Exception? WaitForFinish(GenerationJob job)
    {
        return Task.Run(async () =>
        {
            await foreach (var update in job.Events.ReadAllAsync().ConfigureAwait(false))
            {
                switch (update)
                {
                    case JobFinished:
                        return null;
                    case JobFailed failed:
                        return failed.Error;
                }
            }

            return new InvalidOperationException("the inference loop ended the prefill without a result");
        }).GetAwaiter().GetResult();
    }

    private static bool StartsWith(IReadOnlyList<ChatMessage> messages, IReadOnlyList<ChatMessage> prefix)
    {
        if (prefix.Count == 0 || messages.Count < prefix.Count)
        {
            return false;
        }

        for (var i = 0; i < prefix.Count; i++)
        {
            if (!SameMessage(messages[i], prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameMessage(ChatMessage a, ChatMessage b) =>
        a.Role == b.Role && a.Content == b.Content && a.ToolCallId == b.ToolCallId && a.Name == b.Name
        && a.ToolCalls.SequenceEqual(b.ToolCalls);
}
