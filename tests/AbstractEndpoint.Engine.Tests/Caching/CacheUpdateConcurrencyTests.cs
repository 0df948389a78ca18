using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Core.Errors;
using AbstractEndpoint.Core.Generation;
using AbstractEndpoint.Engine.Tests.Fakes;
using AbstractEndpoint.Engine.Tests.Support;
using AbstractEndpoint.PromptCaching.Control;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>A control-plane cache update is background work: chat traffic never waits for it.</summary>
public sealed class CacheUpdateConcurrencyTests : IDisposable
{
    private readonly PromptCacheHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static PromptCacheUpdateRequest LongUpdate(string key) => new(key)
    {
        // ~2,000 prompt tokens: 125 full batches of the fake, each decode made to take a few milliseconds.
        SystemPrompt = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 45)),
        Reader = TextFragmentReader.Instance,
    };

    private async Task WaitForBatchesAsync(int count)
    {
        var deadline = DateTime.UtcNow + JobEventReader.Timeout;
        while (_harness.Runtime.Batches.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the update's prefill never started");
            await Task.Delay(2);
        }
    }

    private async Task<(string Text, bool UpdateDoneAtFirstToken)> ChatDuringAsync(ChatRequest request, Task update)
    {
        bool? updateDoneAtFirstToken = null;
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in _harness.Backend.StreamAsync(request, CancellationToken.None).WithCancellation(CancellationToken.None))
        {
            if (chunk is ContentDelta delta)
            {
                updateDoneAtFirstToken ??= update.IsCompleted;
                text.Append(delta.Text);
            }
        }

        Assert.NotNull(updateDoneAtFirstToken);
        return (text.ToString(), updateDoneAtFirstToken.Value);
    }

    [Fact]
    public async Task Plain_chat_gets_its_first_token_while_a_long_update_is_still_prefilling()
    {
        _harness.Runtime.DecodeDelay = TimeSpan.FromMilliseconds(4);
        var update = Task.Run(() => _harness.Caches.Update(LongUpdate("docs")));
        await WaitForBatchesAsync(3);

        var (text, updateDone) = await ChatDuringAsync(FakeChatTemplate.UserRequest("hi", maxOutputTokens: 4), update);

        Assert.False(updateDone, "the chat's first token waited for the whole cache update");
        Assert.Equal(4, text.Length);
        Assert.True(await update.WaitAsync(JobEventReader.Timeout), "the update failed");
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Chat_on_another_cache_key_also_streams_while_an_update_is_prefilling()
    {
        _harness.Runtime.DecodeDelay = TimeSpan.FromMilliseconds(4);
        var update = Task.Run(() => _harness.Caches.Update(LongUpdate("docs")));
        await WaitForBatchesAsync(3);

        // Binding to an existing cache takes the cache lock only briefly; the update holds it only between waits.
        var request = FakeChatTemplate.UserRequest("hi", maxOutputTokens: 4) with { PromptCacheKey = "docs" };
        var (_, updateDone) = await ChatDuringAsync(request, update);

        Assert.False(updateDone, "the keyed chat waited for the whole cache update");
        await update.WaitAsync(JobEventReader.Timeout);
    }

    [Fact]
    public async Task Cache_update_prefill_takes_background_chunks_while_a_chat_is_in_a_slot()
    {
        _harness.Runtime.DecodeDelay = TimeSpan.FromMilliseconds(2);
        var update = Task.Run(() => _harness.Caches.Update(LongUpdate("docs")));
        await WaitForBatchesAsync(3);
        await ChatDuringAsync(FakeChatTemplate.UserRequest("hello there", maxOutputTokens: 6), update);
        Assert.True(await update.WaitAsync(JobEventReader.Timeout));

        // The update is the sequence that took thousands of rows; in every batch shared with the chat, the update
        // got at most the capped chunk (8), so the chat never waited behind a full batch of it.
        var batches = _harness.Runtime.Batches;
        var updateSequence = batches.SelectMany(b => b.Rows).GroupBy(r => r.Sequence).MaxBy(g => g.Count())!.Key;
        var shared = batches.Where(b => b.Rows.Any(r => r.Sequence != updateSequence) && b.RowsOf(updateSequence).Count > 0).ToList();
        Assert.NotEmpty(shared);
        Assert.All(shared, b => Assert.True(b.RowsOf(updateSequence).Count <= 8, b.ToString()));
        Assert.Equal(["docs"], _harness.Caches.Stats().Keys);
    }

    [Fact]
    public async Task A_refused_request_with_a_new_key_creates_no_cache()
    {
        var request = FakeChatTemplate.UserRequest("hi", maxOutputTokens: 4) with { PromptCacheKey = "fresh", Choices = 9 };

        await Assert.ThrowsAsync<InvalidRequestException>(async () =>
        {
            await foreach (var _ in _harness.Backend.StreamAsync(request, CancellationToken.None))
            {
            }
        });

        Assert.Empty(_harness.Caches.Stats().Keys);
    }

    [Fact]
    public async Task An_accepted_request_with_a_new_key_creates_and_advances_its_cache()
    {
        var request = FakeChatTemplate.UserRequest("hi", maxOutputTokens: 4) with { PromptCacheKey = "fresh" };

        await foreach (var _ in _harness.Backend.StreamAsync(request, CancellationToken.None))
        {
        }

        Assert.Equal(["fresh"], _harness.Caches.Stats().Keys);
        Assert.True(_harness.Loop.CacheTokenCount(2) > 0);
    }
}
