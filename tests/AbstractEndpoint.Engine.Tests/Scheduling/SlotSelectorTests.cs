using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

public sealed class SlotSelectorTests : IDisposable
{
    private readonly FakeModelRuntime _runtime = new(new FakeVocabulary());

    public void Dispose() => _runtime.Dispose();

    private Slot IdleSlot(int sequence, string cached)
    {
        var slot = new Slot(sequence);
        slot.Cached.AddRange(FakeVocabulary.BytesOf(cached));
        slot.Assign(LoopHarness.Job(FakeVocabulary.BytesOf(cached + "."), 1), 0, new FakeSampler(_runtime));
        slot.Release(); // stamps LastUsed: slots released later are more recent
        return slot;
    }

    [Fact]
    public void Longest_common_prefix_wins()
    {
        Slot[] slots = [IdleSlot(0, "hello world"), IdleSlot(1, "hello there"), IdleSlot(2, "")];

        var chosen = SlotSelector.Choose(slots, FakeVocabulary.BytesOf("hello there, friend"));

        Assert.Same(slots[1], chosen);
    }

    [Fact]
    public void A_slot_last_used_under_another_isolation_tag_shares_no_prefix()
    {
        var empty = IdleSlot(1, ""); // the older slot: it wins a tie
        Thread.Sleep(1); // distinct timestamps even on a coarse clock
        var tenantA = new Slot(0);
        tenantA.Cached.AddRange(FakeVocabulary.BytesOf("secret system prompt"));
        tenantA.Assign(TaggedJob("secret system prompt.", "key-a"), 0, new FakeSampler(_runtime));
        tenantA.Release();
        var prompt = FakeVocabulary.BytesOf("secret system prompt, again");

        // Same tag (or no tags at all): the longest prefix wins, as before.
        Assert.Same(tenantA, SlotSelector.Choose([tenantA, empty], prompt, "key-a"));
        Assert.Equal(20, SlotSelector.ReusablePrefixLength(tenantA, prompt, "key-a"));

        // Another tag, or none: A's cells are not reused from, so the other key learns nothing of A's prompt.
        Assert.Equal(0, SlotSelector.ReusablePrefixLength(tenantA, prompt, "key-b"));
        Assert.Equal(0, SlotSelector.ReusablePrefixLength(tenantA, prompt, null));
        Assert.Same(empty, SlotSelector.Choose([empty, tenantA], prompt, "key-b"));
    }

    private static GenerationJob TaggedJob(string prompt, string tag) => new()
    {
        PromptTokens = FakeVocabulary.BytesOf(prompt),
        Sampling = new SamplingOptions { Temperature = 0 },
        MaxNewTokens = 1,
        StopSequences = [],
        IsolationTag = tag,
    };

    [Fact]
    public void Ties_go_to_the_least_recently_used_slot()
    {
        Slot[] slots = [IdleSlot(0, "abc"), IdleSlot(1, "xyz"), IdleSlot(2, "abd")];
        Thread.Sleep(1); // distinct timestamps even on a coarse clock
        slots[0].Assign(LoopHarness.Job(FakeVocabulary.BytesOf("abc!"), 1), 0, new FakeSampler(_runtime));
        slots[0].Release();

        Assert.Same(slots[2], SlotSelector.Choose(slots, FakeVocabulary.BytesOf("ab"))); // 0 and 2 share "ab"; 0 is fresher
        Assert.Same(slots[1], SlotSelector.Choose(slots, FakeVocabulary.BytesOf("q"))); // no prefix anywhere: oldest
    }

    [Fact]
    public void Busy_slots_are_never_chosen()
    {
        var busy = IdleSlot(0, "same prompt");
        busy.Assign(LoopHarness.Job(FakeVocabulary.BytesOf("same prompt"), 1), 0, new FakeSampler(_runtime));
        var idle = IdleSlot(1, "");

        Assert.Same(idle, SlotSelector.Choose([busy, idle], FakeVocabulary.BytesOf("same prompt")));
        Assert.Null(SlotSelector.Choose([busy], FakeVocabulary.BytesOf("same prompt")));
    }

    [Theory]
    [InlineData("", "abc", 0)]
    [InlineData("abc", "abc", 3)]
    [InlineData("abcdef", "abc", 3)]
    [InlineData("abx", "abc", 2)]
    [InlineData("xbc", "abc", 0)]
    public void Common_prefix_length(string a, string b, int expected)
    {
        Assert.Equal(expected, SlotSelector.CommonPrefixLength(FakeVocabulary.BytesOf(a), FakeVocabulary.BytesOf(b)));
    }
}
