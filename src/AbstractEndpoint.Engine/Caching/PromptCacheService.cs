using System.Diagnostics.CodeAnalysis;
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
/// Control-plane calls are serialised by one lock (the manager is single-threaded); they wait for the loop while
/// holding it, which is safe because the loop never takes it.
/// </remarks>
public sealed class PromptCacheService : IPromptCacheBackend<NamedCache>, IPromptCacheControl
{
    private readonly Lock _lock = new();
    private readonly InferenceLoop _loop;
    private readonly IModelRuntime _runtime;
    private readonly IChatTemplate _template;
    private readonly Stack<int> _freeSequences;
    private readonly PromptCacheManager<NamedCache> _manager;

    // Background saves to the directory: the chain of saves, and whether one is queued but not yet started.
    private readonly Lock _saveGate = new();
    private Task _saving = Task.CompletedTask;
    private bool _saveQueued;

    // Files of removed caches, deleted by the next save (guarded by _lock).
    private readonly List<string> _pendingDeletes = [];

    public PromptCacheService(
        InferenceLoop loop,
        IModelRuntime runtime,
        IChatTemplate template,
        int firstSequence,
        int sequenceCount,
        PromptCacheStoreOptions storeOptions)
    {
        _loop = loop;
        _runtime = runtime;
        _template = template;
        _freeSequences = new Stack<int>(Enumerable.Range(firstSequence, sequenceCount).Reverse());
        _manager = new PromptCacheManager<NamedCache>(new PromptCacheStore<NamedCache>(storeOptions), this);
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

                if (!_freeSequences.TryPop(out var sequence))
                {
                    Warn($"prompt cache '{saved.Key}' not loaded: no free cache sequence");
                    break;
                }

                try
                {
                    _loop.RestoreCacheAsync(sequence, state, saved.Tokens).GetAwaiter().GetResult();
                }
                catch (InvalidDataException ex)
                {
                    _freeSequences.Push(sequence);
                    Warn($"prompt cache '{saved.Key}' not loaded: {ex.Message}");
                    continue;
                }

                var cache = new NamedCache(sequence)
                {
                    Conversation = ConversationJson.Read(saved.Conversation),
                    Tools = ConversationJson.ReadTools(saved.Tools),
                    Dirty = false,
                    SavedAs = saved.Key,
                };
                _manager.Store.Set(saved.Key, cache, saved.TtlSeconds, saved.Meta, saved.Immutable);
                restored++;
            }

            if (Directory.LoadDefaultKey() is { } defaultKey && _manager.Store.TryPeek(defaultKey, out _))
            {
                _manager.Store.SetDefaultKey(defaultKey);
            }

            _manager.ReleaseRemoved();
            return restored;
        }
    }

    /// <summary>Runs a control-plane operation under the cache lock.</summary>
    private T Run<T>(Func<PromptCacheManager<NamedCache>, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_lock)
        {
            try
            {
                RefreshTokenCounts(); // Spills happen between calls, on the loop: stats must see them.
                return operation(_manager);
            }
            finally
            {
                RefreshTokenCounts();
                ScheduleSave();
            }
        }
    }

    public PromptCacheStats Stats() => Run(manager => manager.Store.GetStats());

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
    /// Binds a chat request to its cache (its <c>prompt_cache_key</c>, else the default key; an unknown key is
    /// created). Messages that begin with the cache's conversation are used as sent (a client resending the full
    /// history); otherwise they are a delta appended after it. Null when the request names no cache.
    /// </summary>
    public BoundCacheRequest? Bind(ChatRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var key = _manager.ResolveGenerationKey(request.PromptCacheKey);
            if (key is null || _manager.GetOrCreate(key) is not { } entry)
            {
                return null;
            }

            var cache = entry.Payload;
            var messages = StartsWith(request.Messages, cache.Conversation)
                ? request.Messages
                : [.. cache.Conversation, .. request.Messages];
            var tools = request.Tools.Count > 0 ? request.Tools : cache.Tools;
            return new BoundCacheRequest(
                request with { Messages = messages, Tools = tools },
                new CacheBinding(cache.Sequence, Advance: !entry.Immutable),
                cache)
            {
                Key = key,
                TokensAtBind = _loop.CacheTokenCount(cache.Sequence),
                SpilledAtBind = _loop.IsCacheSpilled(cache.Sequence),
            };
        }
    }

    /// <summary>After a reply on an advancing cache: its conversation now includes the turn and the reply.</summary>
    public void Advanced(BoundCacheRequest bound, string reply)
    {
        ArgumentNullException.ThrowIfNull(bound);
        lock (_lock)
        {
            bound.Cache.Conversation = [.. bound.Request.Messages, new ChatMessage(ChatRole.Assistant, reply)];
            bound.Cache.Tools = bound.Request.Tools;
            bound.Cache.Dirty = true;
            RefreshTokenCounts();
        }

        ScheduleSave();
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
    /// one is queued are folded into it.
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

    /// <summary>Keeps each entry's <c>token_count</c> and <c>location</c> (kv, or ram once spilled) up to date.</summary>
    private void RefreshTokenCounts()
    {
        foreach (var key in _manager.Store.Keys)
        {
            if (_manager.Store.TryPeek(key, out var entry) && entry is not null)
            {
                _manager.Store.TrySetMeta(key, PromptCacheMetaKeys.TokenCount, _loop.CacheTokenCount(entry.Payload.Sequence));
                var location = _loop.IsCacheSpilled(entry.Payload.Sequence) ? PromptCacheLocation.Ram : PromptCacheLocation.Kv;
                if (entry.Location != location)
                {
                    _manager.Store.TryRelocate(key, entry.Payload, location);
                }
            }
        }
    }

    /// <summary>
    /// Writes every change to the directory. Under the cache lock it only takes the snapshot: each changed entry's
    /// description, and a read of its KV state queued on the loop (so the read sees the cache as of this moment:
    /// any later change is a loop command queued behind it). The state copies and the file writes happen after the
    /// lock is released, so control-plane calls and chat requests never wait for them. Saves run one at a time and
    /// apply their deletes first, so the files follow the order of the changes. A failed save is a warning.
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
            var writes = new List<(SavedCache Cache, Task<(byte[] State, int[] Tokens)> Read)>();
            string? defaultKey;
            lock (_lock)
            {
                deletes = [.. _pendingDeletes];
                _pendingDeletes.Clear();
                foreach (var key in _manager.Store.Keys)
                {
                    if (!_manager.Store.TryPeek(key, out var entry) || entry is not { Payload.Dirty: true })
                    {
                        continue;
                    }

                    writes.Add((new SavedCache
                    {
                        Key = key,
                        ModelFingerprint = ModelFingerprint,
                        Tokens = [],
                        Conversation = ConversationJson.Write(entry.Payload.Conversation),
                        Tools = ConversationJson.WriteTools(entry.Payload.Tools),
                        Immutable = entry.Immutable,
                        TtlSeconds = entry.TtlSeconds,
                        Meta = (System.Text.Json.Nodes.JsonObject)entry.Meta.DeepClone(),
                        LastUsedAt = entry.LastUsedAt.ToUnixTimeMilliseconds() / 1000.0,
                    }, _loop.ReadCacheAsync(entry.Payload.Sequence)));
                    entry.Payload.Dirty = false;
                    entry.Payload.SavedAs = key;
                }

                defaultKey = _manager.Store.DefaultKey;
            }

            deletes.ForEach(Directory.Delete);
            foreach (var (cache, read) in writes)
            {
                var (state, tokens) = read.GetAwaiter().GetResult();
                Directory.Save(cache with { Tokens = tokens }, state);
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

        _loop.ResetCacheAsync(sequence).GetAwaiter().GetResult();
        payload = new NamedCache(sequence);
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

        _loop.CopyCacheAsync(source.Sequence, sequence).GetAwaiter().GetResult();
        clone = new NamedCache(sequence) { Conversation = source.Conversation, Tools = source.Tools };
        return true;
    }

    public bool TryAppend(NamedCache target, PromptCacheAppend fragment)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(fragment);
        var messages = new List<ChatMessage>(target.Conversation);
        if (!string.IsNullOrEmpty(fragment.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, fragment.SystemPrompt));
        }

        messages.AddRange(fragment.Messages);
        if (!string.IsNullOrEmpty(fragment.Prompt))
        {
            messages.Add(new ChatMessage(ChatRole.User, fragment.Prompt));
        }

        var tools = fragment.Tools.Count > 0 ? fragment.Tools : target.Tools;
        if (messages.Count == target.Conversation.Count && ReferenceEquals(tools, target.Tools))
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
                $"the cache's conversation plus the fragment renders to {tokens.Length} tokens ({_loop.CacheTokenCount(target.Sequence)} already "
                + $"cached), which does not fit the context of {_runtime.Info.ContextSize} tokens (--ctx-size)");
        }

        // Prefill only, on a slot, through the normal batching; the loop then copies the cells into the cache.
        var job = new GenerationJob
        {
            PromptTokens = tokens,
            Sampling = new SamplingOptions { Temperature = 0 },
            MaxNewTokens = 0,
            Cache = new CacheBinding(target.Sequence, Advance: true),
        };
        _loop.Submit(job);
        if (WaitForFinish(job) is { } failure)
        {
            throw new PromptCacheOperationException(
                PromptCacheErrorCodes.AppendFailed, $"prefilling the fragment ({tokens.Length} tokens) failed: {failure.Message}", failure);
        }

        target.Conversation = messages;
        target.Tools = tools;
        target.Dirty = true; // Else an update made after the cache's last save never reaches the directory.
        return true;
    }

    public int? CountTokens(NamedCache payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return _loop.CacheTokenCount(payload.Sequence);
    }

    public void Release(NamedCache payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        _loop.DropCacheAsync(payload.Sequence).GetAwaiter().GetResult();
        _freeSequences.Push(payload.Sequence);
        if (payload.SavedAs is { } key && Directory is not null)
        {
            // Deleted by the next save, in order with the writes.
            _pendingDeletes.Add(key);
            ScheduleSave();
        }
    }

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
