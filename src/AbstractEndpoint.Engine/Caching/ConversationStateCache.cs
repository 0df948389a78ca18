using System.Globalization;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Scheduling;

namespace AbstractEndpoint.Engine.Caching;

/// <summary>
/// Server-managed conversation states on the loop's own sequences (<see cref="SequenceLayout.StateSequenceIds"/>),
/// apart from the named caches: they never appear in <c>/acore/prompt_cache/stats</c>, never take a client's cache
/// sequence and are never saved to disk. Each state is an entry of the loop's <see cref="NamedCacheTable"/> like a
/// named cache's, so it is copied in O(1) (shared cells), spilled to host memory when the KV cache fills and dropped
/// past the RAM budget exactly as those are. Past <see cref="Capacity"/> the least recently used state is freed.
/// </summary>
/// <remarks>
/// Threading: the handles and the LRU order live under one short lock never held while waiting for the loop; every
/// KV change is a command queued on the loop without waiting, which runs it before any job submitted later.
/// </remarks>
public sealed class ConversationStateCache : IConversationStates
{
    private readonly Lock _lock = new();
    private readonly InferenceLoop _loop;
    private readonly Stack<int> _free;
    private readonly Dictionary<string, (NamedCache Cache, LinkedListNode<string> Node)> _states = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recency = [];
    private long _nextOwner;
    private long _nextHandle;

    /// <summary>States on the state sequences of <paramref name="loop"/>'s <see cref="InferenceLoop.Layout"/>.</summary>
    public ConversationStateCache(InferenceLoop loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        _loop = loop;
        _free = new Stack<int>(loop.Layout.StateSequenceIds.Reverse());
        Capacity = loop.Layout.StateSequences;
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _states.Count;
            }
        }
    }

    /// <summary>Receives warnings (a queued KV command that failed: only when the loop is stopping).</summary>
    public Action<string> Warn { get; init; } = static _ => { };

    public string Open(string? continuing)
    {
        if (Capacity == 0)
        {
            throw new InvalidOperationException("No conversation states are kept (--responses-kv-states 0).");
        }

        lock (_lock)
        {
            NamedCache? source = null;
            if (continuing is not null && _states.TryGetValue(continuing, out var found))
            {
                source = found.Cache;
                Touch(continuing, found.Node);
            }

            if (!_free.TryPop(out var sequence))
            {
                // Full: the least recently used state goes. The source was just marked used, so it is last; only
                // when it is the one state kept (a capacity of one) is it handed over to the continuation whole.
                if (source is not null && _states.Count == 1)
                {
                    var (cache, node) = _states[continuing!];
                    _recency.Remove(node);
                    _states.Remove(continuing!);
                    return Add(cache);
                }

                FreeLocked(_recency.First!.Value);
                sequence = _free.Pop();
            }

            var owner = Interlocked.Increment(ref _nextOwner);
            Observe(source is null
                ? _loop.ResetCacheAsync(sequence, owner)
                : _loop.CopyCacheAsync(source.Sequence, sequence, owner));
            return Add(new NamedCache(sequence, owner));
        }
    }

    public void Release(string handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_lock)
        {
            FreeLocked(handle);
        }
    }

    /// <summary>
    /// The job binding of a request that names a state: the job starts from the state's cells (the common prefix
    /// with its prompt) and leaves its prompt and reply there. Null when the handle was dropped or released: the
    /// request then computes its prompt like any other.
    /// </summary>
    internal CacheBinding? Bind(string handle, ChatRequest request)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(handle, out var state))
            {
                return null;
            }

            Touch(handle, state.Node);
            return new CacheBinding(
                state.Cache.Sequence, state.Cache.Owner, Advance: true, new CacheConversation(request.Messages, request.Tools));
        }
    }

    /// <summary>The loop's record of a state (tokens, residency); null when unknown or not created on the loop yet.</summary>
    internal CacheSequenceInfo? Describe(string handle)
    {
        lock (_lock)
        {
            return _states.TryGetValue(handle, out var state) ? _loop.Caches.Find(state.Cache.Sequence, state.Cache.Owner) : null;
        }
    }

    private string Add(NamedCache cache)
    {
        // A fresh handle even for a handed-over cache: the old handle must no longer reach it.
        var handle = "state-" + (++_nextHandle).ToString(CultureInfo.InvariantCulture);
        _states[handle] = (cache, _recency.AddLast(handle));
        return handle;
    }

    private void Touch(string handle, LinkedListNode<string> node)
    {
        _recency.Remove(node);
        _states[handle] = (_states[handle].Cache, _recency.AddLast(handle));
    }

    private void FreeLocked(string handle)
    {
        if (!_states.Remove(handle, out var state))
        {
            return;
        }

        _recency.Remove(state.Node);
        state.Cache.Released = true;
        Observe(_loop.DropCacheAsync(state.Cache.Sequence, state.Cache.Owner)); // Ordered before the sequence's next use.
        _free.Push(state.Cache.Sequence);
    }

    /// <summary>A queued KV command nobody waits for: it can only fail when the loop is stopping; say so.</summary>
    private void Observe(Task command) => command.ContinueWith(
        t => Warn($"conversation state command failed: {t.Exception!.GetBaseException().Message}"),
        CancellationToken.None,
        TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);
}
