using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.Engine.Scheduling;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using static AbstractEndpoint.Engine.Tests.Caching.PromptCacheHarness;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>
/// A control-plane cache update is background work: chat traffic never waits for it. The order of events is forced
/// with a decode gate (the loop takes only the steps a test allows), never with delays, so these hold on any machine.
/// </summary>
public sealed class CacheUpdateConcurrencyTests : IDisposable
{
    // ~400 prompt tokens: one per background step with the harness's chunk, far more steps than any test allows.
    private static readonly string LongText = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 9));

    // Steps a test lets through while the update runs: enough for a short chat's prefill and first token (3), far
    // too few for the update.
    private const int StepsAllowed = 10;

    private readonly PromptCacheHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>Starts a long update and returns once its prefill is provably under way (its first step is at the gate).</summary>
    private async Task<Task<bool>> StartLongUpdateAsync(DecodeGate gate, string key)
    {
        var update = Task.Run(() => _harness.Caches.Update(Update(key, LongText)));
        await gate.FirstArrival.WaitAsync(JobEventReader.Timeout);
        return update;
    }

    /// <summary>
    /// Starts a chat and reads it up to its first token while the gate lets at most <see cref="StepsAllowed"/> steps
    /// through; returns the rest of the stream.
    /// </summary>
    private static async Task<IAsyncEnumerator<ChatUpdate>> FirstTokenAsync(LocalChatBackend backend, ChatRequest request, DecodeGate gate)
    {
        var stream = backend.StreamAsync(request, CancellationToken.None).WithTimeout().GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync(), "the chat ended before it was accepted");
        Assert.IsType<ChatAccepted>(stream.Current); // Bound and submitted while the update holds the loop.
        gate.Allow(StepsAllowed);
        while (await stream.MoveNextAsync())
        {
            if (stream.Current is ContentDelta)
            {
                return stream;
            }
        }

        throw new Xunit.Sdk.XunitException("the chat ended without a token");
    }

    private static async Task DrainAsync(IAsyncEnumerator<ChatUpdate> stream)
    {
        while (await stream.MoveNextAsync())
        {
        }

        await stream.DisposeAsync();
    }

    [Fact]
    public async Task A_plain_chat_gets_its_first_token_while_a_long_update_is_still_prefilling()
    {
        using var gate = _harness.Runtime.GateDecodes();
        var update = await StartLongUpdateAsync(gate, "docs");

        var chat = await FirstTokenAsync(_harness.Backend, Chat("hi"), gate);

        Assert.False(update.IsCompleted, "the update finished within the steps allowed");
        Assert.Equal(0, _harness.Info("docs").TokenCount); // Still prefilling: nothing moved into the cache yet.
        gate.Open();
        await DrainAsync(chat);
        Assert.True(await update.WaitAsync(JobEventReader.Timeout), "the update failed");
        Assert.True(_harness.Info("docs").TokenCount > LongText.Length);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_chat_on_the_key_being_updated_starts_from_the_cache_as_it_was_and_the_update_still_lands()
    {
        Assert.True(_harness.Caches.Update(Update("docs", "intro")));
        using var gate = _harness.Runtime.GateDecodes();
        var update = await StartLongUpdateAsync(gate, "docs");

        var chat = await FirstTokenAsync(_harness.Backend, Chat("hi", key: "docs"), gate);

        Assert.False(update.IsCompleted, "the update finished within the steps allowed");
        gate.Open();
        await DrainAsync(chat);
        Assert.True(await update.WaitAsync(JobEventReader.Timeout), "the update failed");

        // Both wrote the cache, each in one step on the loop: it holds the later one (the update), consistently.
        var info = _harness.Info("docs");
        Assert.Equal([new ChatMessage(ChatRole.User, "intro"), new ChatMessage(ChatRole.User, LongText)], info.Conversation.Messages);
        Assert.Equal(PromptTokenizer.Tokenize(_harness.Vocabulary, $"user: intro\nuser: {LongText}"), _harness.Runtime.KvTokens(info.Sequence));
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task While_a_chat_holds_a_slot_the_update_waits_and_alone_it_takes_small_steps()
    {
        using var gate = _harness.Runtime.GateDecodes();
        var update = await StartLongUpdateAsync(gate, "docs");
        var chat = await FirstTokenAsync(_harness.Backend, Chat("hello there", maxOutputTokens: 6), gate);
        gate.Open();
        await DrainAsync(chat);
        Assert.True(await update.WaitAsync(JobEventReader.Timeout));

        // The update's slot is the one that took hundreds of rows. No step carried rows of both (a background row
        // costs the chat's step as much as its own), and alone the update took at most a background step.
        var batches = _harness.Runtime.Batches;
        var updateSlot = batches.SelectMany(b => b.Rows).GroupBy(r => r.Sequence).MaxBy(g => g.Count())!.Key;
        Assert.Contains(batches, b => !b.Contains(updateSlot));
        Assert.DoesNotContain(batches, b => b.Contains(updateSlot) && b.Sequences.Count > 1);
        var step = BatchPlanner.BackgroundBudget(PrefillChunk, interactive: false);
        Assert.All(batches.Where(b => b.Contains(updateSlot)), b => Assert.True(b.RowsOf(updateSlot).Count <= step, b.ToString()));
    }

    [Fact]
    public async Task Stats_answer_while_an_update_is_prefilling()
    {
        using var gate = _harness.Runtime.GateDecodes();
        var update = await StartLongUpdateAsync(gate, "docs");

        var stats = await Task.Run(_harness.Caches.Stats).WaitAsync(JobEventReader.Timeout);

        Assert.Equal(["docs"], stats.Keys);
        Assert.False(update.IsCompleted);
        gate.Open();
        Assert.True(await update.WaitAsync(JobEventReader.Timeout));
    }

    [Fact]
    public async Task A_refused_request_with_a_new_key_creates_no_cache()
    {
        var request = Chat("hi", key: "fresh") with { Choices = 9 };

        await Assert.ThrowsAsync<InvalidRequestException>(async () =>
        {
            await foreach (var _ in _harness.Backend.StreamAsync(request, CancellationToken.None).WithTimeout())
            {
            }
        });

        Assert.Empty(_harness.Caches.Stats().Keys);
        Assert.Empty(_harness.Loop.Caches.BySequence);
    }

    [Fact]
    public async Task An_accepted_request_with_a_new_key_creates_and_advances_its_cache()
    {
        var (reply, usage) = await _harness.ChatAsync(Chat("hi", key: "fresh"));

        Assert.Equal(["fresh"], _harness.Caches.Stats().Keys);
        Assert.Equal(usage.PromptTokens + usage.CompletionTokens - 1, _harness.Info("fresh").TokenCount);
        Assert.Equal(reply, _harness.Info("fresh").Conversation.Messages[^1].Content);
    }
}
