using System.Collections.Concurrent;
using System.Diagnostics;
using AbstractEndpoint.Core.Backends;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Embeddings;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.PromptCaching.Store;
using Microsoft.Extensions.Logging;

namespace AbstractEndpoint.Engine.Scheduling;

/// <summary>
/// Continuous batching on one llama context. A dedicated thread owns the context: every decode, sample and KV
/// mutation happens here, in order. Each step carries one token for every generating slot plus prompt chunks of
/// slots still prefilling, never more than the batch size. Request threads only enqueue jobs and read events.
/// Embeddings requests are queued here too (<see cref="EmbedAsync"/>): after each step, one decode of the embedding
/// context within what the step's prompt budget left (<see cref="StepBudget.EmbeddingTokens"/>), so streams stay
/// smooth; with no request in a slot, full embedding batches.
/// </summary>
public sealed partial class InferenceLoop : IEmbeddingScheduler, IDisposable
{
    private readonly IModelRuntime _runtime;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly Slot[] _slots;
    private readonly TokenBatch _batch;
    private readonly StepBudget _budget;
    private readonly int _waveHoldTokens;
    private readonly TimeProvider _clock;
    private readonly LoopTimer _timer = new();

    // The jobs of the step being committed (loop thread only; reused so a step allocates nothing).
    private readonly HashSet<GenerationJob> _batchJobs = [];
    private readonly ConcurrentQueue<GenerationJob> _incoming = new();
    private readonly ConcurrentQueue<CacheCommand> _commands = new();
    private readonly ConcurrentQueue<EmbeddingWork> _incomingEmbeddings = new();
    private readonly Queue<EmbeddingWork> _embeddings = new();

    // Tokens the next embedding decode may take, set by each step (loop thread only).
    private int _embeddingTokens = int.MaxValue;

    private readonly NamedCacheTable _caches;
    private readonly HostPromptCache _hostCache = new();
    private readonly HostMemoryBudget _hostMemory;
    private HostCacheSnapshot _hostCacheSnapshot = new(0, 0);
    private readonly LinkedList<GenerationJob> _waiting = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private int _queued;
    private volatile bool _accepting = true;
    private volatile bool _stopping;
    private int _active;

    // Tokens sampled since start, over every slot; status readers turn its growth into tokens per second.
    private long _generatedTotal;

    /// <summary>Starts the loop thread on <paramref name="runtime"/>.</summary>
    /// <param name="runtime">The model; only this loop touches it from now on.</param>
    /// <param name="options">Queue bound, prefill chunk, step target and named-cache sequences.</param>
    /// <param name="logger">One line per finished request, and failures.</param>
    /// <param name="stepClock">Times the decode steps for the step budget (tests pass a clock the fake runtime moves).</param>
    public InferenceLoop(IModelRuntime runtime, SchedulerOptions options, ILogger<InferenceLoop> logger, TimeProvider? stepClock = null)
    {
        _runtime = runtime;
        _options = options;
        _logger = logger;
        Layout = options.Layout ?? new SequenceLayout(runtime.Info.SequenceCount, 0);
        if (Layout.Total != runtime.Info.SequenceCount)
        {
            throw new ArgumentException(
                $"The sequence layout needs {Layout.Total} sequences; the runtime has {runtime.Info.SequenceCount}.", nameof(options));
        }

        _slots = [.. Enumerable.Range(0, Layout.Slots).Select(i => new Slot(i))];
        _caches = new NamedCacheTable(runtime);
        _hostMemory = new HostMemoryBudget(options.CacheRamBytes, _hostCache, _caches);
        _batch = new TokenBatch(runtime.Info.BatchSize);
        _waveHoldTokens = WaveHold.Limit(options.WaveHoldTokens, runtime.Info.BatchSize);
        _budget = new StepBudget(options, _slots.Length);
        _clock = stepClock ?? TimeProvider.System;
        _thread = new Thread(Run) { IsBackground = true, Name = "inference-loop" };
        _thread.Start();
    }

    /// <summary>Jobs waiting for a slot plus jobs being served; zero means idle.</summary>
    public int Pending => Volatile.Read(ref _queued) + Volatile.Read(ref _active);

    /// <summary>Queues a job. Throws <see cref="ServerBusyException"/> when the queue is full or the loop is stopping.</summary>
    public void Submit(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.PromptTokens.Count == 0)
        {
            throw new ArgumentException("A job needs at least one prompt token.", nameof(job));
        }

        if (job.MaxNewTokens < 0 || (job.MaxNewTokens == 0 && job.Choices != 1))
        {
            throw new ArgumentException("A job generates zero or more tokens; a prefill-only job has one choice.", nameof(job));
        }

        if (job.Choices < 1 || job.Choices > _slots.Length)
        {
            throw new ArgumentException($"A job needs 1 to {_slots.Length} choices, not {job.Choices}.", nameof(job));
        }

        if (!_accepting)
        {
            throw new ServerBusyException("The server is shutting down.", 5, "shutting_down");
        }

        var waitingForSlot = Interlocked.Increment(ref _queued) - FreeSlotCount();
        if (waitingForSlot > _options.MaxQueue)
        {
            Interlocked.Decrement(ref _queued);
            throw new ServerBusyException(
                $"The server is busy: {_options.MaxQueue} requests are already waiting for a slot. Retry shortly.", 1);
        }

        job.SubmittedAt = Stopwatch.GetTimestamp();
        _incoming.Enqueue(job);
        job.CancellationToken.UnsafeRegister(static state => ((InferenceLoop)state!).Wake(), this);
        Wake();
    }

    /// <inheritdoc/>
    /// <remarks>Decoded on the loop thread, interleaved with generation steps; see the class remarks.</remarks>
    public Task<float[][]> EmbedAsync(IEmbeddingRuntime runtime, IReadOnlyList<int[]> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            return Task.FromResult(Array.Empty<float[]>());
        }

        if (!_accepting)
        {
            throw new ServerBusyException("The server is shutting down.", 5, "shutting_down");
        }

        var work = new EmbeddingWork(runtime, inputs, cancellationToken);
        _incomingEmbeddings.Enqueue(work);
        cancellationToken.UnsafeRegister(static state => ((InferenceLoop)state!).Wake(), this);
        Wake();
        return work.Completion.Task;
    }

    /// <summary>Where the loop's time went since start: decodes, sampling and everything else of its busy turns.</summary>
    public StepTimings Timings => _timer.Snapshot();

    /// <summary>Jobs waiting for a free slot.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref _queued));

    /// <summary>Tokens generated since the loop started, all requests together.</summary>
    public long GeneratedTokensTotal => Interlocked.Read(ref _generatedTotal);

    /// <summary>KV cells shared by all sequences.</summary>
    public int ContextSize => _runtime.Info.ContextSize;

    /// <summary>Per-slot state for debugging; values may be one step stale.</summary>
    public IReadOnlyList<SlotState> Slots => [.. _slots.Select(s => s.Snapshot())];

    /// <summary>How many requests can be decoded together.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Which sequences are slots and which belong to named caches.</summary>
    public SequenceLayout Layout { get; }

    /// <summary>Every named cache's sequence as of the loop's last change (tokens, residency, size, last use, conversation).</summary>
    public CacheTableSnapshot Caches => _caches.Snapshot;

    /// <summary>The automatic prompt cache in host memory as of the loop's last change (entries and bytes).</summary>
    public HostCacheSnapshot HostCache => Volatile.Read(ref _hostCacheSnapshot);

    /// <summary>
    /// Tokens the named caches hold in the KV cache now (spilled ones excluded; a fork's shared cells counted per
    /// sequence, so this can overstate what llama.cpp allocated). Read by the <c>/metrics</c> KV gauges.
    /// </summary>
    public int ResidentCacheTokens =>
        Caches.BySequence.Values.Where(c => c.Location == PromptCacheLocation.Kv).Sum(c => c.TokenCount);

    /// <summary>
    /// Raised on the loop thread when a turn advanced a named cache (its tokens and conversation changed together);
    /// handlers must only queue work, never wait.
    /// </summary>
    public event Action? CacheAdvanced;

    /// <summary>Empties a cache sequence for a new cache. Runs on the loop, in order with other KV work.</summary>
    public Task ResetCacheAsync(int sequence, long owner) => Enqueue(new CacheCommand(loop => loop._caches.Reset(sequence, owner)));

    /// <summary>Makes <paramref name="destination"/> a copy of <paramref name="source"/>: cells are shared, nothing is recomputed.</summary>
    public Task CopyCacheAsync(int source, int destination, long owner) =>
        Enqueue(new CacheCommand(loop => loop._caches.Copy(source, destination, owner, () => loop.EvictIdleCaches())));

    /// <summary>A cache's KV state, tokens, conversation and version, read together on the loop (for saving it); null once freed.</summary>
    public async Task<(byte[] State, int[] Tokens, CacheConversation Conversation, long Version)?> ReadCacheAsync(int sequence, long owner)
    {
        (byte[] State, int[] Tokens, CacheConversation Conversation, long Version)? result = null;
        await Enqueue(new CacheCommand(loop => result = loop._caches.Read(sequence, owner))).ConfigureAwait(false);
        return result;
    }

    /// <summary>Restores a saved cache into a sequence; fails when llama.cpp does not accept the state.</summary>
    public Task RestoreCacheAsync(int sequence, long owner, byte[] state, IReadOnlyList<int> tokens, CacheConversation conversation) =>
        Enqueue(new CacheCommand(loop =>
        {
            if (!loop._caches.Restore(sequence, owner, state, tokens, conversation))
            {
                throw new InvalidDataException("llama.cpp refused the saved KV state.");
            }
        }));

    /// <summary>Frees a cache sequence's cells (if <paramref name="owner"/> still holds it).</summary>
    public Task DropCacheAsync(int sequence, long owner) => Enqueue(new CacheCommand(loop => loop._caches.Drop(sequence, owner)));

    /// <summary>Frees the cells idle slots keep for prefix reuse (after the start-up warm-up, which must leave nothing behind).</summary>
    public Task ClearIdleSlotsAsync() => Enqueue(new CacheCommand(static loop => loop.EvictIdleCaches(saveToHost: false)));

    /// <summary>Completes once every cache command queued before it has run, so their effects are in <see cref="Caches"/>.</summary>
    public Task CacheCommandsDoneAsync() => Enqueue(new CacheCommand(static _ => { }));


    /// <summary>Stops taking new jobs; those already accepted run to completion.</summary>
    public void StopAccepting() => _accepting = false;

    /// <summary>Waits until every accepted job has finished or the timeout passes.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Pending > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return true;
    }

    public void Dispose()
    {
        _accepting = false;
        _stopping = true;
        Wake();
        _thread.Join(TimeSpan.FromSeconds(10));
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // The loop is gone; nothing left to wake.
        }
    }

    private int FreeSlotCount() => _slots.Length - Volatile.Read(ref _active);

    private void Run()
    {
        while (!_stopping)
        {
            var turnStarted = Stopwatch.GetTimestamp();
            try
            {
                TakeIncoming();
                RunCacheCommands();
                DropCancelled();
                AssignWaitingJobs();
                if (Volatile.Read(ref _active) == 0 && _embeddings.Count == 0)
                {
                    // Idle (the time until the next request is not the loop's work): copy one idle slot's cells to
                    // host memory ahead of need, then look for work again.
                    if (!SaveIdleSlotAhead())
                    {
                        _wake.Wait(TimeSpan.FromSeconds(1));
                    }

                    continue;
                }

                _embeddingTokens = int.MaxValue;
                if (Volatile.Read(ref _active) > 0)
                {
                    Step();
                }

                DecodeEmbeddings();
                _timer.Busy(Stopwatch.GetTimestamp() - turnStarted);
            }
#pragma warning disable CA1031 // The loop must survive anything a step throws; the jobs involved are failed instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogStepFailed(ex);
                FailActiveJobs(ex);
            }
        }

        FailAll(new ServerBusyException("The server is shutting down.", 5, "shutting_down"));
    }

    private void TakeIncoming()
    {
        // Drain the wake-ups first, then the queue: a job enqueued after the drain leaves its wake-up counted, so
        // the next idle wait returns at once instead of sleeping on a job that is already there.
        while (_wake.CurrentCount > 0 && _wake.Wait(0))
        {
        }

        while (_incoming.TryDequeue(out var job))
        {
            _waiting.AddLast(job);
        }

        while (_incomingEmbeddings.TryDequeue(out var work))
        {
            _embeddings.Enqueue(work);
        }
    }

    /// <summary>One decode of the oldest embeddings request, within <see cref="_embeddingTokens"/>; a failure fails that request only.</summary>
    private void DecodeEmbeddings()
    {
        while (_embeddings.TryPeek(out var work) && work.CancellationToken.IsCancellationRequested)
        {
            _embeddings.Dequeue().Completion.TrySetCanceled(work.CancellationToken);
        }

        if (!_embeddings.TryPeek(out var next))
        {
            return;
        }

        try
        {
            next.DecodeNext(_embeddingTokens);
        }
#pragma warning disable CA1031 // An embedding decode that fails fails its request, never the loop or the streams.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            next.Completion.TrySetException(ex);
        }

        if (next.Completion.Task.IsCompleted)
        {
            _embeddings.Dequeue();
        }
    }

    private void DropCancelled()
    {
        for (var node = _waiting.First; node is not null;)
        {
            var next = node.Next;
            if (node.Value.CancellationToken.IsCancellationRequested)
            {
                _waiting.Remove(node);
                Interlocked.Decrement(ref _queued);
                node.Value.Writer.TryComplete();
            }

            node = next;
        }

        foreach (var slot in _slots)
        {
            if (slot.Job is { CancellationToken.IsCancellationRequested: true } job)
            {
                LogCancelled(slot.Sequence, slot.Generated);
                job.Writer.TryComplete();
                Free(slot);
            }
        }
    }

    private void AssignWaitingJobs()
    {
        var assigned = false;
        while (NextWaiting() is { } node)
        {
            // First come, first served, interactive jobs before background ones: a job waits until it has a slot
            // for each of its choices.
            var job = node.Value;
            if (_slots.Count(s => s.Phase == SlotPhase.Idle) < job.Choices)
            {
                break;
            }

            _waiting.Remove(node);
            Interlocked.Decrement(ref _queued);

            var primary = SlotSelector.Choose(_slots, job.PromptTokens, job.IsolationTag)!;
            var forks = _slots
                .Where(s => s.Phase == SlotPhase.Idle && s != primary)
                .OrderBy(s => s.Cached.Count)
                .ThenBy(s => s.LastUsed)
                .Take(job.Choices - 1)
                .ToList();

            var samplers = new List<ITokenSampler>();
            try
            {
                for (var choice = 0; choice < job.Choices; choice++)
                {
                    // Each choice draws differently, yet a seeded request stays repeatable.
                    var sampling = job.Sampling.Seed is { } seed ? job.Sampling with { Seed = seed + (uint)choice } : job.Sampling;
                    samplers.Add(_runtime.CreateSampler(sampling));
                }
            }
#pragma warning disable CA1031 // A sampler that cannot be built fails this job only.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                samplers.ForEach(s => s.Dispose());
                job.Writer.TryWrite(new JobFailed(ex));
                job.Writer.TryComplete();
                continue;
            }

            // Keep the longest common prefix, but always re-feed at least the last prompt token: its logits are
            // what the first sample reads.
            // cache_prompt false: nothing is reused, every prompt token is computed.
            var reuse = job.ReuseCachedPrompt
                ? Math.Min(SlotSelector.ReusablePrefixLength(primary, job.PromptTokens, job.IsolationTag), job.PromptTokens.Count - 1)
                : 0;
            if (reuse < primary.Cached.Count)
            {
                // The slot moves on to another prompt: what it would lose goes to host memory first, if worth it.
                if (primary.Cached.Count - reuse >= _options.HostCacheMinTokens)
                {
                    SaveToHost(primary);
                }

                _runtime.RemoveTokens(primary.Sequence, reuse, -1);
                primary.Cached.RemoveRange(reuse, primary.Cached.Count - reuse);
            }

            reuse = StartFromCache(job, primary, reuse);
            reuse = StartFromHostCache(job, primary, reuse);
            job.UnfinishedChoices = job.Choices;
            primary.Assign(job, reuse, samplers[0]);
            for (var i = 0; i < forks.Count; i++)
            {
                // A fork's old cells are of no use here (it will share the primary's): keep them in host memory if
                // worth it and free them now, not at fork time.
                SaveToHost(forks[i]);
                _runtime.RemoveTokens(forks[i].Sequence, 0, -1);
                forks[i].Cached.Clear();
                forks[i].Assign(job, 0, samplers[i + 1], choice: i + 1);
            }

            Interlocked.Add(ref _active, job.Choices);
            assigned = true;
        }

        // After every waiting job had its pick of the slots' prefixes.
        if (assigned)
        {
            ParkIdleSlots();
        }
    }

    /// <summary>
    /// Moves idle slots' cells to the automatic host cache when a request starts. With one unified KV cache every
    /// step attends over every resident cell, so cells kept for a prefix that may never come back slow every running
    /// stream and every prompt (measured: a 560-token prompt computed 1.3 × slower beside seven idle slots of as
    /// many tokens). A follow-up that comes back restores its prefix from host memory in a few milliseconds. Cells
    /// that host memory cannot take (no budget, too few tokens to be worth an entry) stay where they are: dropping
    /// them would cost a recompute.
    /// </summary>
    private void ParkIdleSlots()
    {
        foreach (var slot in _slots)
        {
            if (slot.Phase == SlotPhase.Idle && CanSaveToHost(slot))
            {
                SaveToHost(slot);
                _runtime.RemoveTokens(slot.Sequence, 0, -1);
                slot.Cached.Clear();
            }
        }
    }

    /// <summary>The oldest waiting interactive job, else the oldest background one.</summary>
    private LinkedListNode<GenerationJob>? NextWaiting()
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            if (!node.Value.Background)
            {
                return node;
            }
        }

        return _waiting.First;
    }

    private void Step()
    {
        var hold = WaveHold.Applies(_slots, _waveHoldTokens);
        var generating = hold ? 0 : _slots.Count(s => s.Phase == SlotPhase.Generating);
        var oldestPromptLeft = BatchPlanner.PrefillOrder(_slots).FirstOrDefault() is { } oldest
            ? oldest.Job!.PromptTokens.Count - oldest.PromptCursor
            : 0;
        var prefillBudget = _budget.PrefillTokens(generating, oldestPromptLeft);
        var plannedPrompt = BatchPlanner.Plan(_slots, _batch, prefillBudget, _options.PrefillChunkWhileGenerating, hold);
        _embeddingTokens = StepBudget.EmbeddingTokens(prefillBudget, plannedPrompt);
        if (_batch.Count == 0)
        {
            return;
        }

        var started = _clock.GetTimestamp();
        var decodeStarted = Stopwatch.GetTimestamp();
        var status = _runtime.Decode(_batch);
        if (status == DecodeStatus.Ok)
        {
            _budget.Record(_batch.Count, _clock.GetElapsedTime(started).TotalMilliseconds);
            _timer.Decoded(_batch.Count, plannedPrompt, Stopwatch.GetTimestamp() - decodeStarted);
        }

        if (status == DecodeStatus.NoKvSlot && EvictIdleCaches())
        {
            status = _runtime.Decode(_batch);
        }

        // Still full: move named caches to host memory, least recently used first, until the batch fits.
        while (status == DecodeStatus.NoKvSlot && SpillLeastRecentCache())
        {
            status = _runtime.Decode(_batch);
        }

        switch (status)
        {
            case DecodeStatus.Ok:
                var sampleStarted = Stopwatch.GetTimestamp();
                CommitBatch();
                SampleSlots();
                _timer.Sampled(Stopwatch.GetTimestamp() - sampleStarted);
                break;
            case DecodeStatus.NoKvSlot:
                // Nothing idle left to evict: the newest job gives way so the others can go on.
                FailNewestJob(new ServerBusyException(
                    "The KV cache is full: too many tokens in flight for the context size. Retry shortly.", 1, "kv_cache_full"));
                break;
            default:
                FailJobsInBatch(new InvalidOperationException($"llama.cpp failed to decode a batch ({status})."));
                break;
        }
    }

    /// <summary>Records the decoded tokens as cached KV content of their slots.</summary>
    private void CommitBatch()
    {
        var tokens = _batch.Tokens;
        var sequences = _batch.Sequences;
        for (var i = 0; i < tokens.Length; i++)
        {
            _slots[sequences[i]].Cached.Add(tokens[i]);
        }

        RecordBatchSize(sequences);

        foreach (var slot in _slots)
        {
            slot.PromptCursor += slot.PlannedPrefill;
            slot.PlannedPrefill = 0;
        }
    }

    /// <summary>Each job in the step learns how many jobs it shared the step with (the reply's <c>peak_batch_size</c>).</summary>
    private void RecordBatchSize(ReadOnlySpan<int> sequences)
    {
        _batchJobs.Clear();
        foreach (var sequence in sequences)
        {
            if (_slots[sequence].Job is { } job)
            {
                _batchJobs.Add(job);
            }
        }

        foreach (var job in _batchJobs)
        {
            job.PeakBatchSize = Math.Max(job.PeakBatchSize, _batchJobs.Count);
        }
    }

    private void SampleSlots()
    {
        ForkFinishedPrompts();
        var vocabulary = _runtime.Vocabulary;
        var contextSize = _runtime.Info.ContextSize;
        foreach (var slot in _slots)
        {
            if (slot.LogitsRow < 0 || slot.Job is not { } job)
            {
                continue;
            }

            if (job.MaxNewTokens == 0)
            {
                // Prefill only (a cache update): the prompt is in the KV cells; nothing to sample.
                Finish(slot, FinishReason.Length, "");
                continue;
            }

            var token = NextToken(slot);
            slot.LogitsRow = -1;
            if (slot.FirstTokenAt == 0)
            {
                slot.FirstTokenAt = Stopwatch.GetTimestamp();
            }

            if (vocabulary.IsEndOfGeneration(token))
            {
                Finish(slot, FinishReason.Stop, slot.FlushText(), slot.ReleasedLogprobs);
                continue;
            }

            slot.Generated++;
            Interlocked.Increment(ref _generatedTotal);
            var text = slot.TextOf(token, vocabulary);
            slot.ReasoningBudget?.Observe(text);
            var logprobs = slot.ReleasedLogprobs;
            if (slot.StopMatcher!.Stopped)
            {
                Finish(slot, FinishReason.Stop, text, logprobs);
                continue;
            }

            if (slot.Generated >= job.MaxNewTokens || slot.Cached.Count + 1 >= contextSize)
            {
                var rest = slot.FlushText();
                Finish(slot, FinishReason.Length, text + rest, Concat(logprobs, slot.ReleasedLogprobs));
                continue;
            }

            if (text.Length > 0 || logprobs is not null)
            {
                WriteText(slot, text, logprobs);
            }

            slot.StartGenerating(token);
        }
    }

    /// <summary>
    /// The slot's next token: sampled, or, once its reasoning has used its budget, the closing tag's next token
    /// (recorded by the sampler as if sampled; a grammar that refuses it ends the forcing).
    /// </summary>
    private static int NextToken(Slot slot)
    {
        if (slot.ReasoningBudget is { Forced: { } forced } budget)
        {
            if (slot.Sampler!.Accept(forced))
            {
                return forced;
            }

            budget.Abandon();
        }

        return slot.Sampler!.Sample(slot.LogitsRow);
    }

    /// <summary>
    /// When the first choice of an <c>n</c> &gt; 1 job has computed its prompt, the other choices' sequences take
    /// a copy of its KV cells (shared, not recomputed) and sample from the same logits.
    /// </summary>
    private void ForkFinishedPrompts()
    {
        foreach (var primary in _slots)
        {
            if (primary is not { Phase: SlotPhase.Prefilling, Choice: 0, LogitsRow: >= 0, Job: { Choices: > 1 } job })
            {
                continue;
            }

            foreach (var fork in _slots)
            {
                if (fork.Job == job && fork.Phase == SlotPhase.AwaitingFork)
                {
                    _runtime.RemoveTokens(fork.Sequence, 0, -1);
                    _runtime.CopySequence(primary.Sequence, fork.Sequence, 0, -1);
                    fork.CompleteFork(primary.Cached, primary.LogitsRow, primary.ReusedTokens);
                }
            }
        }
    }

    private void Finish(Slot slot, FinishReason reason, string lastText, List<TokenLogprob>? logprobs = null)
    {
        var job = slot.Job!;
        if (lastText.Length > 0 || logprobs is not null)
        {
            WriteText(slot, lastText, logprobs);
        }

        var usage = new Usage(job.PromptTokens.Count, slot.Generated, slot.ReusedTokens);
        var timings = new GenerationTimings(
            Elapsed(job.SubmittedAt, slot.StartedAt),
            Elapsed(job.SubmittedAt, slot.FirstTokenAt),
            Elapsed(slot.FirstTokenAt, Stopwatch.GetTimestamp()));
        if (job.Cache is { Advance: true } cache && slot.Choice == 0)
        {
            // The cache now holds this turn too (prompt and reply, cells and conversation in one step), so the next
            // delta continues from it. A prefill-only job (a control-plane update) adds no reply.
            var conversation = job.MaxNewTokens == 0 ? cache.Conversation : cache.Conversation.WithReply(job.CacheReply.ToString());
            if (_caches.Advance(cache, slot.Sequence, slot.Cached, conversation))
            {
                CacheAdvanced?.Invoke();
            }
        }

        job.Writer.TryWrite(new JobFinished(reason, usage, timings, slot.Choice)
        {
            StopSequence = slot.StopMatcher?.Matched,
            PeakBatchSize = Math.Max(1, job.PeakBatchSize),
        });
        if (--job.UnfinishedChoices == 0)
        {
            job.Writer.TryComplete();
        }

        LogFinished(slot.Sequence, usage.PromptTokens, usage.CachedTokens, usage.CompletionTokens,
            timings.TimeToFirstTokenMs, timings.TokensPerSecond(usage.CompletionTokens), reason);
        Free(slot);
    }

    /// <summary>
    /// When the job names a cache that shares a longer prefix with its prompt than the slot's own cells, the slot
    /// takes a copy of that prefix from the cache's sequence (shared cells, no recompute). Returns the reuse.
    /// </summary>
    private int StartFromCache(GenerationJob job, Slot slot, int slotReuse)
    {
        if (!job.ReuseCachedPrompt || job.Cache is not { } cache)
        {
            return slotReuse;
        }

        if (_caches.ResidentTokens(cache, () => EvictIdleCaches(except: slot)) is not { } cached)
        {
            return slotReuse; // Freed meanwhile, or no room to bring it back now: this request recomputes its prompt.
        }

        var cacheReuse = Math.Min(SlotSelector.CommonPrefixLength(cached, job.PromptTokens), job.PromptTokens.Count - 1);
        if (cacheReuse <= slotReuse)
        {
            return slotReuse;
        }

        _runtime.RemoveTokens(slot.Sequence, 0, -1);
        _runtime.CopySequence(cache.Sequence, slot.Sequence, 0, cacheReuse);
        slot.Cached.Clear();
        slot.Cached.AddRange(job.PromptTokens.Take(cacheReuse));
        return cacheReuse;
    }

    /// <summary>
    /// When the automatic host cache holds a longer prefix of the job's prompt (under the job's isolation tag) than
    /// the slot now has, the slot's sequence takes that entry's state and keeps the shared prefix. Returns the reuse.
    /// </summary>
    private int StartFromHostCache(GenerationJob job, Slot slot, int reuse)
    {
        var atLeast = Math.Max(_options.HostCacheMinTokens, reuse + 1);
        if (!job.ReuseCachedPrompt || _hostCache.FindLongestPrefix(job.PromptTokens, job.IsolationTag, atLeast) is not { } found)
        {
            return reuse;
        }

        // At least the last prompt token is always fed: its logits seed the first sample.
        var restored = Math.Min(found.Prefix, job.PromptTokens.Count - 1);
        if (restored <= reuse)
        {
            return reuse;
        }

        _hostCache.Touch(found.Entry);
        _runtime.RemoveTokens(slot.Sequence, 0, -1);
        slot.Cached.Clear();
        if (!_runtime.WriteSequenceState(slot.Sequence, found.Entry.State)
            && !(EvictIdleCaches(except: slot) && _runtime.WriteSequenceState(slot.Sequence, found.Entry.State)))
        {
            // No room in the KV cache even after the idle slots moved out: this request recomputes its prompt.
            _runtime.RemoveTokens(slot.Sequence, 0, -1);
            PublishHostCache();
            return 0;
        }

        slot.Cached.AddRange(found.Entry.Tokens);
        if (restored < slot.Cached.Count)
        {
            _runtime.RemoveTokens(slot.Sequence, restored, -1);
            slot.Cached.RemoveRange(restored, slot.Cached.Count - restored);
        }

        LogRestoredFromHost(slot.Sequence, restored, found.Entry.Tokens.Length);
        PublishHostCache();
        return restored;
    }

    /// <summary>
    /// Keeps an idle slot's cells in the automatic host cache (llama.cpp's sequence state, read here on the loop)
    /// before they leave the KV cache, when there are at least <see cref="SchedulerOptions.HostCacheMinTokens"/> and
    /// they fit the host-memory budget; the budget then evicts what no longer fits, automatic entries first.
    /// </summary>
    private void SaveToHost(Slot slot)
    {
        if (!CanSaveToHost(slot))
        {
            return;
        }

        _hostCache.Save(slot.Cached, slot.IsolationTag, () => _runtime.ReadSequenceState(slot.Sequence));
        _hostMemory.Fit();
        LogSavedToHost(slot.Sequence, slot.Cached.Count, _hostCache.Count, _hostCache.Bytes);
        PublishHostCache();
    }

    /// <summary>
    /// Copies the cells of one idle slot that host memory does not hold yet to the automatic host cache, leaving them
    /// in place (<see cref="SchedulerOptions.SaveIdleSlotsAhead"/>); false when there is none. Called only while the
    /// loop has no request to serve, one slot at a time, so a request arriving meanwhile waits for one copy at most.
    /// Only into free room: a copy made ahead never evicts another entry (two idle slots that do not fit together
    /// would otherwise push each other out, copy after copy, for as long as the loop is idle).
    /// </summary>
    private bool SaveIdleSlotAhead()
    {
        if (!_options.SaveIdleSlotsAhead)
        {
            return false;
        }

        foreach (var slot in _slots)
        {
            if (slot.Phase == SlotPhase.Idle && slot.Cached.Count >= _options.HostCacheMinTokens
                && !_hostCache.Holds(slot.Cached, slot.IsolationTag) && _hostMemory.HasRoomFor(_runtime.SequenceStateSize(slot.Sequence)))
            {
                SaveToHost(slot);
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the slot's cells are worth a host cache entry and fit the host-memory budget.</summary>
    private bool CanSaveToHost(Slot slot) =>
        slot.Cached.Count >= _options.HostCacheMinTokens && _hostMemory.Bytes > 0
        && _hostMemory.CouldHold(_runtime.SequenceStateSize(slot.Sequence));

    private void PublishHostCache() => Volatile.Write(ref _hostCacheSnapshot, new HostCacheSnapshot(_hostCache.Count, _hostCache.Bytes));

    /// <summary>Moves the least recently used named cache in the KV cache to host memory; false when none is left.</summary>
    private bool SpillLeastRecentCache()
    {
        if (_caches.SpillLeastRecent() is not { } spilled)
        {
            return false;
        }

        _hostMemory.Fit();
        PublishHostCache();
        LogSpilled(spilled.Sequence, spilled.Tokens);
        return true;
    }

    /// <summary>Sends text to the job's reader; the first choice's text is also kept when the job advances a cache.</summary>
    private static void WriteText(Slot slot, string text, List<TokenLogprob>? logprobs)
    {
        var job = slot.Job!;
        if (slot.Choice == 0 && job.Cache is { Advance: true })
        {
            job.CacheReply.Append(text);
        }

        job.Writer.TryWrite(new JobText(text, slot.Choice, logprobs));
    }

    private Task Enqueue(CacheCommand command)
    {
        if (_stopping)
        {
            return Task.FromException(new ServerBusyException("The server is shutting down.", 5, "shutting_down"));
        }

        _commands.Enqueue(command);
        Wake();
        return command.Completion;
    }

    private void RunCacheCommands()
    {
        while (_commands.TryDequeue(out var command))
        {
            try
            {
                command.Apply(this);
                command.Done();
            }
#pragma warning disable CA1031 // A failed command is reported to its caller; the loop goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                command.Fail(ex);
            }
        }
    }

    private void Free(Slot slot)
    {
        slot.Release();
        Interlocked.Decrement(ref _active);
    }

    /// <summary>
    /// Frees the KV cells that idle slots keep for prefix reuse, keeping them in the automatic host cache when worth
    /// it (unless <paramref name="saveToHost"/> is false: the warm-up's cells are worth nothing). Returns whether any
    /// were freed.
    /// </summary>
    private bool EvictIdleCaches(Slot? except = null, bool saveToHost = true)
    {
        var freed = false;
        foreach (var slot in _slots)
        {
            if (slot.Phase == SlotPhase.Idle && slot.Cached.Count > 0 && slot != except)
            {
                if (saveToHost)
                {
                    SaveToHost(slot);
                }

                _runtime.RemoveTokens(slot.Sequence, 0, -1);
                slot.Cached.Clear();
                freed = true;
            }
        }

        return freed;
    }

    private void FailNewestJob(Exception error)
    {
        var newest = _slots.Where(s => s.Job is not null).MaxBy(s => s.StartedAt);
        if (newest is not null)
        {
            Fail(newest, error);
        }
    }

    /// <summary>Fails the jobs that had tokens in the failed batch; the others did not take part and go on.</summary>
    private void FailJobsInBatch(Exception error)
    {
        foreach (var sequence in _batch.Sequences.ToArray().Distinct())
        {
            if (_slots[sequence].Job is not null)
            {
                Fail(_slots[sequence], error);
            }
        }
    }

    private void FailActiveJobs(Exception error)
    {
        foreach (var slot in _slots)
        {
            if (slot.Job is not null)
            {
                Fail(slot, error);
            }
        }
    }

    /// <summary>Fails the slot's job, freeing every slot the job holds.</summary>
    private void Fail(Slot slot, Exception error)
    {
        var job = slot.Job!;
        job.Writer.TryWrite(new JobFailed(error));
        job.Writer.TryComplete();
        foreach (var held in _slots)
        {
            if (held.Job == job)
            {
                // Its cells are in an unknown state after a failed step: start the sequence afresh.
                _runtime.RemoveTokens(held.Sequence, 0, -1);
                held.Cached.Clear();
                Free(held);
            }
        }
    }

    private void FailAll(Exception error)
    {
        TakeIncoming();
        foreach (var job in _waiting)
        {
            job.Writer.TryWrite(new JobFailed(error));
            job.Writer.TryComplete();
        }

        _waiting.Clear();
        while (_embeddings.TryDequeue(out var work))
        {
            work.Completion.TrySetException(error);
        }

        FailActiveJobs(error);
        while (_commands.TryDequeue(out var command))
        {
            command.Fail(error);
        }
    }

    private static List<TokenLogprob>? Concat(List<TokenLogprob>? first, List<TokenLogprob>? second) =>
        first is null ? second : second is null ? first : [.. first, .. second];

    private static double Elapsed(long from, long to) =>
        from == 0 || to == 0 ? 0 : (to - from) * 1000.0 / Stopwatch.Frequency;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "slot {Slot}: prompt {PromptTokens} tokens ({CachedTokens} cached), generated {CompletionTokens}, TTFT {TtftMs:F0} ms, {TokensPerSecond:F1} tok/s, finish {Reason}")]
    private partial void LogFinished(int slot, int promptTokens, int cachedTokens, int completionTokens, double ttftMs,
        double tokensPerSecond, FinishReason reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "slot {Slot}: client went away after {Generated} tokens; slot freed")]
    private partial void LogCancelled(int slot, int generated);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV cache full: named cache on sequence {Sequence} ({Tokens} tokens) moved to host memory")]
    private partial void LogSpilled(int sequence, int tokens);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "slot {Slot}: {Tokens} tokens saved to the host prompt cache ({Entries} entries, {Bytes} bytes)")]
    private partial void LogSavedToHost(int slot, int tokens, int entries, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "slot {Slot}: {Tokens} prompt tokens restored from a host prompt cache entry of {EntryTokens}")]
    private partial void LogRestoredFromHost(int slot, int tokens, int entryTokens);

    [LoggerMessage(Level = LogLevel.Error, Message = "inference step failed; the jobs in it were failed")]
    private partial void LogStepFailed(Exception ex);
}
