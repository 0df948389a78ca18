using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;

namespace AbstractEndpoint.Engine.Tests.Fakes;

/// <summary>
/// A deterministic stand-in for llama.cpp. The "logits" of a batch row are simply the next token, a pure function
/// of the row's token and position (<see cref="NextToken"/>), computed at decode time; <see cref="FakeSampler"/>
/// returns it. The fake records every batch and removal, keeps each sequence's KV contents, and reports what
/// llama.cpp would reject (position gaps, oversize batches, sampling a row without logits) as
/// <see cref="Violations"/>. Tests can force decode outcomes, hold a decode until released, let decodes through one
/// by one (<see cref="GateDecodes"/>) and cap the KV cells.
/// </summary>
public sealed class FakeModelRuntime : IModelRuntime
{
    private readonly Lock _lock = new();
    private readonly FakeVocabulary _vocabulary;
    private readonly List<RecordedBatch> _batches = [];
    private readonly List<int> _stateReads = [];
    private readonly List<TokenRemoval> _removals = [];
    private readonly List<string> _violations = [];
    private readonly List<SamplingOptions> _samplerRequests = [];
    private readonly List<SequenceCopy> _copies = [];
    private readonly List<KvCell>[] _kv;
    private readonly Dictionary<KvCell, int> _cellOwners = [];
    private readonly Queue<DecodeStatus> _forcedStatuses = new();
    private readonly int?[] _rowNextToken;
    private DecodeHold? _armedHold;
    private DecodeGate? _gate;
    private int _disposedSamplers;

    public FakeModelRuntime(FakeVocabulary vocabulary, int contextSize = 512, int batchSize = 64, int sequenceCount = 4)
    {
        _vocabulary = vocabulary;
        Info = new ModelInfo(contextSize, batchSize, sequenceCount, contextSize, ChatTemplate: null);
        KvCapacity = contextSize;
        _kv = [.. Enumerable.Range(0, sequenceCount).Select(_ => new List<KvCell>())];
        _rowNextToken = new int?[batchSize];
    }

    public ModelInfo Info { get; }

    public IVocabulary Vocabulary => _vocabulary;

    public FakeVocabulary FakeVocabulary => _vocabulary;

    /// <summary>The model: (token, position) → the token that follows. Must be pure; defaults to lowercase letters.</summary>
    public Func<int, int, int> NextToken { get; set; } = LetterModel;

    /// <summary>KV cells shared by all sequences; a decode that does not fit returns <see cref="DecodeStatus.NoKvSlot"/>.</summary>
    public int KvCapacity { get; set; }

    /// <summary>When set, <see cref="CreateSampler"/> throws it.</summary>
    public Exception? SamplerFailure { get; set; }

    public IReadOnlyList<RecordedBatch> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    public IReadOnlyList<TokenRemoval> Removals
    {
        get
        {
            lock (_lock)
            {
                return [.. _removals];
            }
        }
    }

    public IReadOnlyList<SequenceCopy> Copies
    {
        get
        {
            lock (_lock)
            {
                return [.. _copies];
            }
        }
    }

    /// <summary>Everything llama.cpp would have rejected; tests assert it stays empty.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    public IReadOnlyList<SamplingOptions> SamplerRequests
    {
        get
        {
            lock (_lock)
            {
                return [.. _samplerRequests];
            }
        }
    }

    public int DisposedSamplers => Volatile.Read(ref _disposedSamplers);

    /// <summary>KV cells in use; a cell shared by several sequences counts once.</summary>
    public int TotalKvCells
    {
        get
        {
            lock (_lock)
            {
                return UsedCells();
            }
        }
    }

    /// <summary>A letter for every (token, position): deterministic, never end-of-generation.</summary>
    public static int LetterModel(int token, int position) => 'a' + (int)((uint)((token * 7) + (position * 13)) % 26);

    /// <summary>The tokens whose KV cells sequence <paramref name="sequence"/> holds, position 0 first.</summary>
    public IReadOnlyList<int> KvTokens(int sequence)
    {
        lock (_lock)
        {
            return [.. _kv[sequence].Select(c => c.Token)];
        }
    }

    /// <summary>Makes the next decode calls return <paramref name="status"/> (after any hold) without touching the KV.</summary>
    public void ForceNextDecodes(DecodeStatus status, int count = 1)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _forcedStatuses.Enqueue(status);
            }
        }
    }

    /// <summary>The next decode call waits inside the fake until the returned hold is released.</summary>
    public DecodeHold HoldNextDecode()
    {
        var hold = new DecodeHold();
        if (Interlocked.CompareExchange(ref _armedHold, hold, null) is not null)
        {
            throw new InvalidOperationException("A decode hold is already armed.");
        }

        return hold;
    }

    /// <summary>From now on every decode call waits at the returned gate until the test lets it through.</summary>
    public DecodeGate GateDecodes()
    {
        var gate = new DecodeGate();
        if (Interlocked.CompareExchange(ref _gate, gate, null) is not null)
        {
            throw new InvalidOperationException("Decodes are already gated.");
        }

        return gate;
    }

    /// <summary>
    /// What a greedy run of this model yields for a prompt when nothing else interferes: the reference the
    /// scheduler's output is compared with. Stops before an end-of-generation token or after
    /// <paramref name="maxNewTokens"/>.
    /// </summary>
    public IReadOnlyList<int> ReferenceReply(IReadOnlyList<int> prompt, int maxNewTokens)
    {
        var reply = new List<int>();
        var token = prompt[^1];
        var position = prompt.Count - 1;
        while (reply.Count < maxNewTokens)
        {
            token = NextToken(token, position++);
            if (_vocabulary.IsEndOfGeneration(token))
            {
                break;
            }

            reply.Add(token);
        }

        return reply;
    }

    /// <summary>Called with each decode's row count, after any hold (a test moves its step clock by the step's cost).</summary>
    public Action<int>? Decoding { get; set; }

    public DecodeStatus Decode(TokenBatch batch)
    {
        Interlocked.Exchange(ref _armedHold, null)?.Wait();
        Decoding?.Invoke(batch.Count);
        Volatile.Read(ref _gate)?.Pass();

        lock (_lock)
        {
            var rows = new List<BatchRow>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                rows.Add(new BatchRow(batch.Tokens[i], batch.Positions[i], batch.Sequences[i], batch.WantsLogits[i]));
            }

            var status = Evaluate(rows);
            _batches.Add(new RecordedBatch(_batches.Count, rows, status));
            Array.Clear(_rowNextToken);
            if (status != DecodeStatus.Ok)
            {
                return status;
            }

            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var cell = new KvCell(row.Token, row.Position);
                _kv[row.Sequence].Add(cell);
                _cellOwners[cell] = 1;
                if (row.WantsLogits)
                {
                    _rowNextToken[i] = NextToken(row.Token, row.Position);
                }
            }

            return DecodeStatus.Ok;
        }
    }

    public ITokenSampler CreateSampler(SamplingOptions options)
    {
        if (SamplerFailure is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            _samplerRequests.Add(options);
        }

        return new FakeSampler(this, options);
    }

    public void RemoveTokens(int sequence, int from, int to)
    {
        lock (_lock)
        {
            _removals.Add(new TokenRemoval(sequence, from, to));
            var cells = _kv[sequence];
            if (from < 0 || from > cells.Count || (to >= 0 && to < from))
            {
                _violations.Add($"RemoveTokens(seq {sequence}, {from}, {to}) outside the {cells.Count} cells held");
                return;
            }

            if (to >= 0 && to < cells.Count)
            {
                _violations.Add($"RemoveTokens(seq {sequence}, {from}, {to}) leaves a position gap");
            }

            var end = to < 0 ? cells.Count : Math.Min(to, cells.Count);
            foreach (var cell in cells.GetRange(from, end - from))
            {
                if (--_cellOwners[cell] == 0)
                {
                    _cellOwners.Remove(cell);
                }
            }

            cells.RemoveRange(from, end - from);
        }
    }

    public void CopySequence(int source, int destination, int from, int to)
    {
        lock (_lock)
        {
            _copies.Add(new SequenceCopy(source, destination, from, to));
            var target = _kv[destination];
            foreach (var cell in _kv[source].Where(c => c.Position >= from && (to < 0 || c.Position < to)))
            {
                if (cell.Position != target.Count)
                {
                    _violations.Add($"CopySequence({source} → {destination}): position {cell.Position} lands after {target.Count} cells");
                }

                target.Add(cell);
                _cellOwners[cell]++;
            }
        }
    }

    public long SequenceStateSize(int sequence)
    {
        lock (_lock)
        {
            return 4L * _kv[sequence].Count;
        }
    }

    /// <summary>For each sequence-state read so far, how many batches had been decoded when it happened.</summary>
    public IReadOnlyList<int> StateReads
    {
        get
        {
            lock (_lock)
            {
                return [.. _stateReads];
            }
        }
    }

    /// <summary>The fake's "state" is the sequence's tokens, 4 bytes each (positions are implied, from 0).</summary>
    public byte[] ReadSequenceState(int sequence)
    {
        lock (_lock)
        {
            _stateReads.Add(_batches.Count);
            return [.. _kv[sequence].SelectMany(c => BitConverter.GetBytes(c.Token))];
        }
    }

    public bool WriteSequenceState(int sequence, byte[] state)
    {
        lock (_lock)
        {
            if (state.Length % 4 != 0 || _kv[sequence].Count != 0)
            {
                return false;
            }

            for (var i = 0; i < state.Length / 4; i++)
            {
                var cell = new KvCell(BitConverter.ToInt32(state, i * 4), i);
                _kv[sequence].Add(cell);
                _cellOwners[cell] = 1;
            }

            return true;
        }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _armedHold, null)?.Dispose();
        Volatile.Read(ref _gate)?.Open();
    }

    /// <summary>The token the model predicts after batch row <paramref name="row"/> of the last decode.</summary>
    internal int PredictionAt(int row)
    {
        lock (_lock)
        {
            if (row < 0 || row >= _rowNextToken.Length || _rowNextToken[row] is not { } token)
            {
                _violations.Add($"sampled row {row}, which has no logits in the last decode");
                throw new InvalidOperationException($"Row {row} has no logits.");
            }

            return token;
        }
    }

    internal void SamplerDisposed() => Interlocked.Increment(ref _disposedSamplers);

    private DecodeStatus Evaluate(List<BatchRow> rows)
    {
        if (rows.Count == 0)
        {
            _violations.Add("empty batch");
            return DecodeStatus.Failed;
        }

        if (rows.Count > Info.BatchSize)
        {
            _violations.Add($"batch of {rows.Count} rows exceeds the batch size {Info.BatchSize}");
            return DecodeStatus.Failed;
        }

        var next = _kv.Select(s => s.Count).ToArray();
        foreach (var row in rows)
        {
            if (row.Sequence < 0 || row.Sequence >= _kv.Length)
            {
                _violations.Add($"row for unknown sequence {row.Sequence}");
                return DecodeStatus.Failed;
            }

            if (row.Position != next[row.Sequence])
            {
                _violations.Add($"seq {row.Sequence}: position {row.Position} given where {next[row.Sequence]} was expected");
                return DecodeStatus.Failed;
            }

            next[row.Sequence]++;
        }

        if (_forcedStatuses.TryDequeue(out var forced))
        {
            return forced;
        }

        return UsedCells() + rows.Count > KvCapacity ? DecodeStatus.NoKvSlot : DecodeStatus.Ok;
    }

    private int UsedCells() => _cellOwners.Count;
}
