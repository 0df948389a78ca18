using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using AbstractEndpoint.PromptCaching.Store;

namespace AbstractEndpoint.Engine.Tests.Scheduling;

/// <summary>
/// The automatic prompt cache in host memory: a slot's cells move there when the slot is reassigned to another
/// prompt, when another request starts while the slot is idle, or when the KV cache needs room; a later prompt sharing a long prefix restores them instead of
/// recomputing, under one host-memory budget shared with spilled named caches.
/// </summary>
public sealed class HostPromptCacheTests
{
    private const int MinTokens = 8;

    // The fake's state is 4 bytes per cell; a 20-token prompt with 3 generated tokens leaves 22 cells (88 bytes).
    private static readonly int[] Alpha = FakeVocabulary.BytesOf("Alpha system prompt.");
    private static readonly int[] Bravo = FakeVocabulary.BytesOf("Bravo system prompt.");
    private static readonly int[] Charlie = FakeVocabulary.BytesOf("Charlie system text.");
    private static readonly int[] Delta = FakeVocabulary.BytesOf("Delta system prompt.");

    // Copies made while the loop is idle are off here (their timing would race the counts these tests check),
    // except in the test of those copies.
    private static LoopHarness Harness(long cacheRamBytes = 1 << 20, int sequenceCount = 1, SequenceLayout? layout = null, bool saveAhead = false) =>
        new(sequenceCount: sequenceCount, options: new SchedulerOptions
        {
            CacheRamBytes = cacheRamBytes,
            HostCacheMinTokens = MinTokens,
            Layout = layout,
            SaveIdleSlotsAhead = saveAhead,
        });

    [Fact]
    public async Task An_idle_loop_copies_idle_cells_ahead_so_a_reassignment_only_frees_them()
    {
        using var harness = Harness(saveAhead: true);
        await harness.RunAsync(Alpha, 3);
        var afterAlpha = harness.Runtime.Batches.Count;
        await WaitUntilAsync(() => harness.Loop.HostCache.Entries == 1);

        // The copy leaves the cells in place: a follow-up continues them directly.
        Assert.Equal(Alpha.Length + 2, harness.Runtime.KvTokens(0).Count);
        int[] followUp = [.. Alpha, .. FakeVocabulary.BytesOf(" Go on.")];
        var continued = await harness.RunAsync(followUp, 3);
        Assert.Equal(Alpha.Length, continued.RequireFinished().Usage.CachedTokens);
        var afterFollowUp = harness.Runtime.Batches.Count;
        await WaitUntilAsync(() => harness.Runtime.StateReads.Count == 2);
        Assert.Equal(2, harness.Loop.HostCache.Entries); // Alpha with its reply, and the conversation that went on

        await harness.RunAsync(Bravo, 3); // the slot moves on: its cells are already in host memory
        await WaitUntilAsync(() => harness.Runtime.StateReads.Count == 3);

        // Every state read came after a request's last batch, while idle; none on the way to Bravo's first batch.
        Assert.Equal([afterAlpha, afterFollowUp, harness.Runtime.Batches.Count], harness.Runtime.StateReads);
        var revisit = await harness.RunAsync(followUp, 3);
        Assert.Equal(followUp.Length - 1, revisit.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(followUp, 3), revisit.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_finished_request_keeps_its_cells_in_the_slot_and_saves_nothing()
    {
        using var harness = Harness();
        await harness.RunAsync(Alpha, 3);

        var followUp = await harness.RunAsync([.. Alpha, .. FakeVocabulary.BytesOf(" Go on.")], 3);

        Assert.Equal(0, harness.Loop.HostCache.Entries);
        Assert.Equal(Alpha.Length, followUp.RequireFinished().Usage.CachedTokens);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_reassigned_slot_saves_its_prefix_and_a_revisit_restores_it_instead_of_recomputing()
    {
        using var harness = Harness();
        await harness.RunAsync(Alpha, 3);
        await harness.RunAsync(Bravo, 3); // the only slot moves on: Alpha's cells go to host memory
        Assert.Equal(1, harness.Loop.HostCache.Entries);
        Assert.Equal(4 * (Alpha.Length + 2), harness.Loop.HostCache.Bytes);
        int[] revisit = [.. Alpha, .. FakeVocabulary.BytesOf(" Next question?")];
        var before = harness.Runtime.Batches.Count;

        var outcome = await harness.RunAsync(revisit, 4);

        Assert.Equal(new Usage(revisit.Length, 4, Alpha.Length), outcome.RequireFinished().Usage);
        Assert.Equal(harness.ReferenceText(revisit, 4), outcome.Text);
        // Only the new question was decoded: the prefill starts right after the restored prefix.
        Assert.Equal(Alpha.Length, harness.Runtime.Batches[before].Rows[0].Position);
        Assert.Equal([.. revisit, .. harness.Runtime.ReferenceReply(revisit, 4).Take(3)], harness.Runtime.KvTokens(0));
        Assert.Equal(2, harness.Loop.HostCache.Entries); // Bravo was saved when the slot moved on again
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Copies_made_ahead_only_take_free_room_and_never_push_each_other_out()
    {
        const long Budget = 100; // one 88-byte entry fits, two do not
        using var harness = Harness(cacheRamBytes: Budget, sequenceCount: 2, saveAhead: true);
        await Task.WhenAll(harness.RunAsync(Alpha, 3), harness.RunAsync(Bravo, 3)); // both idle with 22 cells each

        await WaitUntilAsync(() => harness.Loop.HostCache.Entries == 1);
        await Task.Delay(300); // an idle loop that evicted to copy would be copying the two in turn by now

        Assert.Single(harness.Runtime.StateReads);
        Assert.Equal(1, harness.Loop.HostCache.Entries);
        Assert.Equal(2, Enumerable.Range(0, 2).Count(s => harness.Runtime.KvTokens(s).Count == 22)); // both stay in place
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task When_another_request_starts_idle_slots_move_their_cells_to_host_memory()
    {
        using var harness = Harness(sequenceCount: 2);
        await harness.RunAsync(Alpha, 3);
        var alphaSlot = Enumerable.Range(0, 2).Single(s => harness.Runtime.KvTokens(s).Count > 0);

        await harness.RunAsync(Bravo, 3); // starts on the other slot: Alpha's idle cells leave the KV cache

        Assert.Empty(harness.Runtime.KvTokens(alphaSlot));
        Assert.Equal(Bravo.Length + 2, harness.Runtime.KvTokens(1 - alphaSlot).Count); // Bravo's own slot keeps its cells
        Assert.Equal(1, harness.Loop.HostCache.Entries);
        int[] followUp = [.. Alpha, .. FakeVocabulary.BytesOf(" Go on.")];
        var outcome = await harness.RunAsync(followUp, 3);
        Assert.Equal(Alpha.Length, outcome.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(followUp, 3), outcome.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Idle_cells_that_host_memory_cannot_take_stay_in_their_slot()
    {
        using var noBudget = Harness(cacheRamBytes: 0, sequenceCount: 2);
        await noBudget.RunAsync(Alpha, 3);
        await noBudget.RunAsync(Bravo, 3);
        var shortPrompt = FakeVocabulary.BytesOf("Hi.");
        using var tooShort = Harness(sequenceCount: 2);
        await tooShort.RunAsync(shortPrompt, 2); // 4 cells: below the minimum of 8
        await tooShort.RunAsync(Bravo, 3);

        // Without a budget, dropping Alpha's cells would only cost a recompute: both slots keep theirs.
        Assert.Equal(2, Enumerable.Range(0, 2).Count(s => noBudget.Runtime.KvTokens(s).Count > 0));
        Assert.Equal(2, Enumerable.Range(0, 2).Count(s => tooShort.Runtime.KvTokens(s).Count > 0));
        Assert.Equal(0, tooShort.Loop.HostCache.Entries);
        Assert.Empty(noBudget.Runtime.Violations);
        Assert.Empty(tooShort.Runtime.Violations);
    }

    [Fact]
    public async Task Prefixes_shorter_than_the_minimum_are_neither_saved_nor_restored()
    {
        using var harness = Harness();
        var shortPrompt = FakeVocabulary.BytesOf("Hi.");
        await harness.RunAsync(shortPrompt, 2); // 4 cells: below the minimum of 8
        await harness.RunAsync(Bravo, 3);

        var again = await harness.RunAsync(shortPrompt, 2);

        Assert.Equal(0, again.RequireFinished().Usage.CachedTokens);
        Assert.Equal(1, harness.Loop.HostCache.Entries); // only Bravo's cells, saved when "Hi." came back
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Entries_stay_within_the_budget_least_recently_used_first()
    {
        const long Budget = 200; // two 88-byte entries fit, three do not
        using var harness = Harness(cacheRamBytes: Budget);
        foreach (var prompt in new[] { Alpha, Bravo, Charlie, Delta })
        {
            await harness.RunAsync(prompt, 3);
            Assert.InRange(harness.Loop.HostCache.Bytes, 0, Budget);
        }

        // Saved in turn: Alpha, Bravo, Charlie; Charlie's arrival evicted Alpha. Revisiting Charlie saves Delta,
        // which evicts Bravo, and restores Charlie (now the most recently used).
        var charlie = await harness.RunAsync(Charlie, 3);
        var alpha = await harness.RunAsync(Alpha, 3);
        var bravo = await harness.RunAsync(Bravo, 3);

        Assert.Equal(Charlie.Length - 1, charlie.RequireFinished().Usage.CachedTokens);
        Assert.Equal(0, alpha.RequireFinished().Usage.CachedTokens);
        Assert.Equal(0, bravo.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(Charlie, 3), charlie.Text);
        Assert.InRange(harness.Loop.HostCache.Bytes, 0, Budget);
        Assert.Equal(2, harness.Loop.HostCache.Entries);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task No_budget_keeps_nothing_in_host_memory()
    {
        using var harness = Harness(cacheRamBytes: 0);
        await harness.RunAsync(Alpha, 3);
        await harness.RunAsync(Bravo, 3);

        var again = await harness.RunAsync(Alpha, 3);

        Assert.Equal(0, again.RequireFinished().Usage.CachedTokens);
        Assert.Equal(new HostCacheSnapshot(0, 0), harness.Loop.HostCache);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task An_entry_saved_under_one_isolation_tag_is_never_restored_for_another()
    {
        using var harness = Harness();
        await RunTaggedAsync(harness, Alpha, "key-a");
        await RunTaggedAsync(harness, Bravo, "key-b"); // saves Alpha under key-a

        var otherKey = await RunTaggedAsync(harness, Alpha, "key-b"); // saves Bravo under key-b
        var untagged = await RunTaggedAsync(harness, Alpha, null);     // saves Alpha under key-b
        var sameKey = await RunTaggedAsync(harness, Alpha, "key-a");

        Assert.Equal(0, otherKey.RequireFinished().Usage.CachedTokens);
        Assert.Equal(0, untagged.RequireFinished().Usage.CachedTokens);
        Assert.Equal(Alpha.Length - 1, sameKey.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(Alpha, 3), sameKey.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Under_kv_pressure_idle_slots_move_to_host_memory_and_come_back()
    {
        using var harness = new LoopHarness(contextSize: 64, sequenceCount: 2, options: new SchedulerOptions { HostCacheMinTokens = MinTokens, SaveIdleSlotsAhead = false });
        harness.Runtime.KvCapacity = 40;
        await harness.RunAsync(Alpha, 3); // slot 0 keeps 22 cells
        var longer = FakeVocabulary.BytesOf("The different and longer one.");

        await harness.RunAsync(longer, 3); // slot 1: 22 + 29 > 40, so slot 0's cells move out

        Assert.Empty(harness.Runtime.KvTokens(0));
        Assert.Equal(1, harness.Loop.HostCache.Entries);
        var again = await harness.RunAsync(Alpha, 3);
        Assert.Equal(Alpha.Length - 1, again.RequireFinished().Usage.CachedTokens);
        Assert.Equal(harness.ReferenceText(Alpha, 3), again.Text);
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public async Task Named_caches_are_evicted_last_even_when_less_recently_used()
    {
        // One slot, then cache sequences; the named cache holds 20 tokens (80 bytes of state).
        const long Budget = 150;
        using var harness = Harness(cacheRamBytes: Budget, sequenceCount: 4, layout: new SequenceLayout(1, 3));
        harness.Runtime.KvCapacity = 30;
        var cached = FakeVocabulary.BytesOf("Named cache contents");
        await harness.Loop.RestoreCacheAsync(1, owner: 7, [.. cached.SelectMany(BitConverter.GetBytes)], cached, CacheConversation.Empty);

        await harness.RunAsync(Alpha, 3); // 20 + 20 > 30: the named cache spills to host memory (80 bytes)
        var spilled = harness.Loop.Caches.BySequence[1];
        Assert.Equal(PromptCacheLocation.Ram, spilled.Location);

        await harness.RunAsync(Bravo, 3); // Alpha's 88 bytes join the named cache's 80: over the budget

        var named = harness.Loop.Caches.BySequence[1];
        Assert.Equal((PromptCacheLocation.Ram, cached.Length), (named.Location, named.TokenCount));
        Assert.Equal(new HostCacheSnapshot(0, 0), harness.Loop.HostCache);
        Assert.Empty(harness.Runtime.Violations);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle loop did not copy the cells within 10 s");
            await Task.Delay(5);
        }
    }

    private static Task<JobOutcome> RunTaggedAsync(LoopHarness harness, int[] prompt, string? tag)
    {
        var job = new GenerationJob
        {
            PromptTokens = prompt,
            Sampling = new SamplingOptions { Temperature = 0 },
            MaxNewTokens = 3,
            IsolationTag = tag,
        };
        harness.Loop.Submit(job);
        return job.CollectAsync();
    }
}
