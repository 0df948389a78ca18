using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.Engine.Runtime;
using AbstractEndpoint.PromptCaching.Control;
using static AbstractEndpoint.Engine.Tests.Caching.PromptCacheHarness;

namespace AbstractEndpoint.Engine.Tests.Caching;

/// <summary>
/// Every named-cache path over the fake runtime: what the control plane and chat turns leave in the KV sequences,
/// in the loop's published snapshot and in stats.
/// </summary>
public sealed class PromptCacheServiceTests : IDisposable
{
    private readonly PromptCacheHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private int[] Tokens(string text) => PromptTokenizer.Tokenize(_harness.Vocabulary, text);

    [Fact]
    public void Set_creates_an_empty_cache_in_a_cache_sequence()
    {
        Assert.True(_harness.Caches.Set(new PromptCacheSetRequest("a")));

        var info = _harness.Info("a");
        Assert.False(_harness.Layout.IsSlot(info.Sequence));
        Assert.Equal(0, info.TokenCount);
        Assert.Empty(info.Conversation.Messages);
        var stats = _harness.Caches.Stats();
        Assert.Equal(["a"], stats.Keys);
        Assert.Equal("a", stats.DefaultKey);
        Assert.Equal(0, (int)_harness.Meta("a")["token_count"]!);
        Assert.Equal("kv", (string)_harness.Meta("a")["location"]!);
    }

    [Fact]
    public void Update_prefills_the_fragment_into_the_cache_and_a_second_update_feeds_only_the_new_part()
    {
        Assert.True(_harness.Caches.Update(Update("a", "hello")));
        var first = Tokens("user: hello");
        var info = _harness.Info("a");
        Assert.Equal(first, _harness.Runtime.KvTokens(info.Sequence));
        Assert.Equal(first.Length, (int)_harness.Meta("a")["token_count"]!);
        Assert.Equal([new ChatMessage(ChatRole.User, "hello")], info.Conversation.Messages);

        var fedBefore = _harness.Runtime.Batches.Sum(b => b.Count);
        Assert.True(_harness.Caches.Update(Update("a", "again")));

        var second = Tokens("user: hello\nuser: again");
        Assert.Equal(second, _harness.Runtime.KvTokens(_harness.Info("a").Sequence));
        Assert.Equal(second.Length - first.Length, _harness.Runtime.Batches.Sum(b => b.Count) - fedBefore);
        Assert.Equal(2, _harness.Info("a").Conversation.Messages.Count);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public void Fork_shares_the_cells_without_decoding_anything()
    {
        Assert.True(_harness.Caches.Update(Update("a", "hello")));
        var decoded = _harness.Runtime.Batches.Count;

        Assert.True(_harness.Caches.Fork(new PromptCacheForkRequest("a", "b")));

        Assert.Equal(decoded, _harness.Runtime.Batches.Count);
        var (a, b) = (_harness.Info("a"), _harness.Info("b"));
        Assert.NotEqual(a.Sequence, b.Sequence);
        Assert.Contains(_harness.Runtime.Copies, c => c.Source == a.Sequence && c.Destination == b.Sequence);
        Assert.Equal(_harness.Runtime.KvTokens(a.Sequence), _harness.Runtime.KvTokens(b.Sequence));
        Assert.Equal(a.Conversation, b.Conversation);
        Assert.Equal("a", (string)_harness.Meta("b")["forked_from"]!);
        Assert.Equal(a.TokenCount, (int)_harness.Meta("b")["token_count"]!);
    }

    [Fact]
    public async Task A_turn_advances_its_cache_in_one_step_and_the_next_delta_reuses_it()
    {
        Assert.True(_harness.Caches.Update(Update("a", "hello")));

        var (reply, usage) = await _harness.ChatAsync(Chat("hi", key: "a"));

        // The cache now holds the rendered turn and the reply (all but the last sampled token, never decoded),
        // and the conversation the next delta continues.
        var prompt = Tokens("user: hello\nuser: hi\nassistant:");
        Assert.Equal(prompt.Length, usage.PromptTokens);
        Assert.Equal(Tokens("user: hello").Length, usage.CachedTokens);
        var info = _harness.Info("a");
        Assert.Equal([.. prompt, .. Tokens(reply)[..^1]], _harness.Runtime.KvTokens(info.Sequence));
        Assert.Equal(info.TokenCount, _harness.Runtime.KvTokens(info.Sequence).Count);
        Assert.Equal(
            [new ChatMessage(ChatRole.User, "hello"), new ChatMessage(ChatRole.User, "hi"), new ChatMessage(ChatRole.Assistant, reply)],
            info.Conversation.Messages);

        var (_, next) = await _harness.ChatAsync(Chat("more", key: "a"));
        Assert.True(next.CachedTokens >= prompt.Length, $"the next turn reused {next.CachedTokens} tokens");
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task A_prepared_module_is_read_but_never_advanced()
    {
        var modules = System.Text.Json.JsonDocument.Parse("""[{"module_id":"persona","system_prompt":"be brief"}]""").RootElement;
        var prepared = _harness.Caches.PrepareModules(
            new PromptCachePrepareModulesRequest("ns", [.. modules.EnumerateArray()]) { Reader = TextFragmentReader.Instance });
        var key = prepared.FinalCacheKey!;
        var before = _harness.Info(key);

        var (_, usage) = await _harness.ChatAsync(Chat("hi", key: key));

        Assert.Equal(before.TokenCount, usage.CachedTokens);
        var after = _harness.Info(key);
        Assert.Equal((before.TokenCount, before.Version, before.Conversation), (after.TokenCount, after.Version, after.Conversation));
        var refused = Assert.Throws<PromptCacheOperationException>(() => _harness.Caches.Update(Update(key, "more")));
        Assert.Equal(PromptCacheErrorCodes.AppendFailed, refused.Code);
    }

    [Fact]
    public void Eviction_frees_the_least_recent_cache_and_its_sequence_serves_the_next_one()
    {
        using var harness = new PromptCacheHarness(maxEntries: 2);
        Assert.True(harness.Caches.Update(Update("a", "first")));
        var freed = harness.Info("a").Sequence;
        Assert.True(harness.Caches.Update(Update("b", "second")));

        Assert.True(harness.Caches.Set(new PromptCacheSetRequest("c", MakeDefault: false)));

        Assert.Equal(["b", "c"], harness.Caches.Stats().Keys);
        Assert.Empty(harness.Runtime.KvTokens(freed));
        Assert.DoesNotContain(harness.Loop.Caches.BySequence.Values, i => i.Sequence == freed && i.TokenCount > 0);

        Assert.True(harness.Caches.Update(Update("d", "fourth")));
        Assert.Equal(["c", "d"], harness.Caches.Stats().Keys);
        Assert.Equal(Tokens("user: fourth"), harness.Runtime.KvTokens(harness.Info("d").Sequence));
        Assert.Empty(harness.Runtime.Violations);
    }

    [Fact]
    public void Clear_frees_every_cache()
    {
        Assert.True(_harness.Caches.Update(Update("a", "hello")));
        Assert.True(_harness.Caches.Fork(new PromptCacheForkRequest("a", "b")));

        Assert.True(_harness.Caches.Clear(new PromptCacheClearRequest()));

        Assert.Empty(_harness.Caches.Stats().Keys);
        Assert.Empty(_harness.Loop.Caches.BySequence);
        Assert.All(_harness.Layout.CacheSequenceIds, s => Assert.Empty(_harness.Runtime.KvTokens(s)));
    }

    [Fact]
    public async Task A_full_kv_cache_spills_a_named_cache_to_host_memory_and_its_next_use_restores_it()
    {
        Assert.True(_harness.Caches.Update(Update("a", new string('x', 100))));
        var cached = _harness.Info("a").TokenCount;

        // The keyless chat needs more cells than are left beside the cache: the loop moves the cache out.
        _harness.Runtime.KvCapacity = cached + 40;
        await _harness.ChatAsync(Chat(new string('y', 40), maxOutputTokens: 10));

        var spilled = _harness.Info("a");
        Assert.Equal(PromptCacheLocationName.Ram, (string)_harness.Meta("a")["location"]!);
        Assert.Equal(cached, spilled.TokenCount);
        Assert.True(spilled.SpilledBytes > 0);
        Assert.Empty(_harness.Runtime.KvTokens(spilled.Sequence));

        var (_, usage) = await _harness.ChatAsync(Chat("hi", key: "a", maxOutputTokens: 2));

        Assert.Equal(cached, usage.CachedTokens);
        Assert.Equal(PromptCacheLocationName.Kv, (string)_harness.Meta("a")["location"]!);
        Assert.Equal(0, _harness.Info("a").SpilledBytes);
        Assert.Empty(_harness.Runtime.Violations);
    }

    [Fact]
    public async Task Caches_saved_to_a_directory_come_back_after_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("cacheowner-test-").FullName;
        try
        {
            IReadOnlyList<int> tokens;
            IReadOnlyList<(ChatRole, string?)> conversation;
            using (var before = new PromptCacheHarness(directory: directory))
            {
                Assert.True(before.Caches.Update(Update("a", "hello")));
                await before.ChatAsync(Chat("hi", key: "a"));
                tokens = before.Runtime.KvTokens(before.Info("a").Sequence);
                conversation = [.. before.Info("a").Conversation.Messages.Select(m => (m.Role, m.Content))];
                await before.Caches.FlushAsync().WaitAsync(Support.JobEventReader.Timeout);
            }

            using var after = new PromptCacheHarness(directory: directory);
            Assert.Equal(1, after.Caches.LoadSaved());

            var restored = after.Info("a");
            Assert.Equal(tokens, after.Runtime.KvTokens(restored.Sequence));
            Assert.Equal(conversation, restored.Conversation.Messages.Select(m => (m.Role, m.Content)));
            Assert.Equal(3, conversation.Count);
            // The next delta starts from the restored cells: everything up to the reply, which the fake template
            // renders with a space the model did not write.
            var (_, usage) = await after.ChatAsync(Chat("more", key: "a"));
            Assert.Equal(Tokens("user: hello\nuser: hi\nassistant:").Length, usage.CachedTokens);

            // The turn advanced the cache, and its save runs in the background: let it end before the folder goes.
            await after.Caches.FlushAsync().WaitAsync(Support.JobEventReader.Timeout);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
