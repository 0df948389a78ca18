using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Tests.Fakes;

namespace AbstractEndpoint.Engine.Tests.FakeTests;

/// <summary>The fake must catch what llama.cpp would reject, or the scheduler tests would prove nothing.</summary>
public sealed class FakeModelRuntimeTests : IDisposable
{
    private readonly FakeModelRuntime _runtime = new(new FakeVocabulary(), contextSize: 16, batchSize: 8, sequenceCount: 2);

    public void Dispose() => _runtime.Dispose();

    private static TokenBatch Batch(params (int Token, int Position, int Sequence, bool Logits)[] rows)
    {
        var batch = new TokenBatch(8);
        foreach (var (token, position, sequence, logits) in rows)
        {
            batch.Add(token, position, sequence, logits);
        }

        return batch;
    }

    [Fact]
    public void Contiguous_positions_decode_and_fill_the_kv()
    {
        Assert.Equal(DecodeStatus.Ok, _runtime.Decode(Batch(('a', 0, 0, false), ('b', 1, 0, true), ('c', 0, 1, true))));
        Assert.Equal(DecodeStatus.Ok, _runtime.Decode(Batch(('d', 2, 0, true))));

        Assert.Equal(['a', 'b', 'd'], _runtime.KvTokens(0));
        Assert.Equal(['c'], _runtime.KvTokens(1));
        Assert.Equal(4, _runtime.TotalKvCells);
        Assert.Empty(_runtime.Violations);
    }

    [Fact]
    public void Position_gap_fails_the_decode_and_is_reported()
    {
        Assert.Equal(DecodeStatus.Failed, _runtime.Decode(Batch(('a', 1, 0, true))));

        Assert.Single(_runtime.Violations);
        Assert.Empty(_runtime.KvTokens(0));
    }

    [Fact]
    public void Sampler_returns_the_row_prediction_and_rejects_rows_without_logits()
    {
        _runtime.Decode(Batch(('a', 0, 0, false), ('b', 1, 0, true)));
        using var sampler = _runtime.CreateSampler(new());

        Assert.Equal(FakeModelRuntime.LetterModel('b', 1), sampler.Sample(1));
        Assert.Throws<InvalidOperationException>(() => sampler.Sample(0));
        Assert.Single(_runtime.Violations);
    }

    [Fact]
    public void Full_kv_returns_no_kv_slot_without_changing_anything()
    {
        _runtime.KvCapacity = 3;
        _runtime.Decode(Batch(('a', 0, 0, false), ('b', 1, 0, false)));

        Assert.Equal(DecodeStatus.NoKvSlot, _runtime.Decode(Batch(('c', 0, 1, false), ('d', 1, 1, false))));
        Assert.Empty(_runtime.KvTokens(1));
        Assert.Empty(_runtime.Violations);
    }

    [Fact]
    public void Copied_cells_are_shared_and_freed_with_their_last_owner()
    {
        _runtime.Decode(Batch(('a', 0, 0, false), ('b', 1, 0, false)));

        _runtime.CopySequence(0, 1, 0, -1);
        Assert.Equal(['a', 'b'], _runtime.KvTokens(1));
        Assert.Equal(2, _runtime.TotalKvCells);

        _runtime.RemoveTokens(0, 0, -1);
        Assert.Equal(2, _runtime.TotalKvCells);
        _runtime.RemoveTokens(1, 1, -1);
        Assert.Equal(1, _runtime.TotalKvCells);
        Assert.Empty(_runtime.Violations);
    }

    [Fact]
    public void Removing_from_the_middle_is_reported_as_a_gap()
    {
        _runtime.Decode(Batch(('a', 0, 0, false), ('b', 1, 0, false), ('c', 2, 0, false)));

        _runtime.RemoveTokens(0, 1, 2);

        Assert.Single(_runtime.Violations);
    }

    [Fact]
    public async Task Forced_status_and_hold_apply_to_the_next_decode()
    {
        using var hold = _runtime.HoldNextDecode();
        var decode = Task.Run(() => _runtime.Decode(Batch(('a', 0, 0, true))));
        await hold.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        _runtime.ForceNextDecodes(DecodeStatus.Failed);
        Assert.False(decode.IsCompleted);

        hold.Release();

        Assert.Equal(DecodeStatus.Failed, await decode.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(DecodeStatus.Ok, _runtime.Decode(Batch(('a', 0, 0, true))));
    }

    [Fact]
    public void Reference_reply_follows_the_model_and_stops_at_end_of_generation()
    {
        using var stopAfterTwo = new FakeModelRuntime(new FakeVocabulary())
        {
            NextToken = (_, position) => position < 4 ? 'x' : FakeVocabulary.Eos,
        };

        Assert.Equal(['x', 'x'], stopAfterTwo.ReferenceReply([1, 2, 3], maxNewTokens: 10));
        Assert.Equal(['x'], stopAfterTwo.ReferenceReply([1, 2, 3], maxNewTokens: 1));
    }
}
