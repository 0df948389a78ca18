using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;

namespace AbstractEndpoint.PromptCaching.Tests;

public sealed class PromptCacheStoreTests
{
    private readonly ManualTimeProvider _time = new();

    private PromptCacheStore<string> NewStore(int maxEntries = 32, double? defaultTtl = null) =>
        new(new PromptCacheStoreOptions { MaxEntries = maxEntries, DefaultTtlSeconds = defaultTtl }, _time);

    private static List<(string Key, PromptCacheRemovalReason Reason)> Removed(PromptCacheStore<string> store) =>
        [.. store.TakeRemoved().Select(r => (r.Entry.Key, r.Reason))];

    [Fact]
    public void Defaults_match_the_original()
    {
        var store = new PromptCacheStore<string>();
        Assert.Equal(32, store.MaxEntries);
        Assert.Null(store.DefaultTtlSeconds);
        Assert.Equal(32, NewStore(maxEntries: 0).MaxEntries);
        Assert.Equal(32, NewStore(maxEntries: -3).MaxEntries);
    }

    [Fact]
    public void Keys_run_oldest_to_newest_and_get_moves_to_newest()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.Set("b", "B");
        store.Set("c", "C");
        Assert.True(store.TryGet("a", out _));
        Assert.Equal(["b", "c", "a"], store.Keys);
    }

    [Fact]
    public void Peek_does_not_change_recency_or_hits()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.Set("b", "B");
        Assert.True(store.TryPeek("a", out var entry));
        Assert.Equal(0, entry.Hits);
        Assert.Equal(["a", "b"], store.Keys);
    }

    [Fact]
    public void Inserting_beyond_capacity_evicts_the_least_recently_used_and_reports_it()
    {
        var store = NewStore(maxEntries: 2);
        store.Set("a", "A");
        store.Set("b", "B");
        store.TryGet("a", out _);
        store.Set("c", "C");

        Assert.Equal(["a", "c"], store.Keys);
        var removal = Assert.Single(store.TakeRemoved());
        Assert.Equal(("b", "B", PromptCacheRemovalReason.Evicted), (removal.Entry.Key, removal.Entry.Payload, removal.Reason));
        Assert.Empty(store.TakeRemoved());
    }

    [Fact]
    public void Setting_a_key_again_replaces_it_as_newest_and_reports_the_old_payload()
    {
        var store = NewStore();
        store.Set("a", "A1");
        store.Set("b", "B");
        store.Set("a", "A2");

        Assert.Equal(["b", "a"], store.Keys);
        var removal = Assert.Single(store.TakeRemoved());
        Assert.Equal(("A1", PromptCacheRemovalReason.Replaced), (removal.Entry.Payload, removal.Reason));
    }

    [Fact]
    public void Setting_the_same_payload_renews_without_reporting_and_keeps_hits()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.TryGet("a", out _);
        var renewed = store.Set("a", "A", ttlSeconds: 5);

        Assert.Empty(store.TakeRemoved());
        Assert.Equal(1, renewed.Hits);
        Assert.Equal(5, renewed.TtlSeconds);
    }

    [Fact]
    public void Ttl_is_sliding_from_the_last_access()
    {
        var store = NewStore();
        store.Set("a", "A", ttlSeconds: 10);
        _time.AdvanceSeconds(9);
        Assert.True(store.TryGet("a", out _));
        _time.AdvanceSeconds(9);
        Assert.True(store.TryGet("a", out _));
        _time.AdvanceSeconds(10.001);
        Assert.False(store.TryGet("a", out _));
        Assert.Equal([("a", PromptCacheRemovalReason.Expired)], Removed(store));
    }

    [Fact]
    public void An_entry_idle_exactly_its_ttl_is_still_alive()
    {
        var store = NewStore();
        store.Set("a", "A", ttlSeconds: 10);
        _time.AdvanceSeconds(10);
        Assert.True(store.TryGet("a", out _));
    }

    [Fact]
    public void Peek_does_not_refresh_the_ttl_clock()
    {
        var store = NewStore();
        store.Set("a", "A", ttlSeconds: 10);
        _time.AdvanceSeconds(6);
        Assert.True(store.TryPeek("a", out _));
        _time.AdvanceSeconds(6);
        Assert.False(store.TryPeek("a", out _));
    }

    [Fact]
    public void Default_ttl_applies_unless_the_entry_has_its_own()
    {
        var store = NewStore(defaultTtl: 5);
        store.Set("short", "S");
        store.Set("long", "L", ttlSeconds: 100);
        _time.AdvanceSeconds(6);
        Assert.Equal(["long"], store.Keys);
    }

    [Fact]
    public void Stats_purge_expired_entries_first()
    {
        var store = NewStore();
        store.Set("a", "A", ttlSeconds: 1);
        store.Set("b", "B");
        _time.AdvanceSeconds(2);

        var stats = store.GetStats();
        Assert.Equal(1, stats.Entries);
        Assert.Equal(["b"], stats.Keys);
        Assert.Equal([("a", PromptCacheRemovalReason.Expired)], Removed(store));
    }

    [Fact]
    public void Expired_entries_are_purged_before_an_insert_evicts_a_live_one()
    {
        var store = NewStore(maxEntries: 2);
        store.Set("live", "L");
        store.Set("stale", "S", ttlSeconds: 1);
        _time.AdvanceSeconds(2);
        store.Set("new", "N");
        Assert.Equal(["live", "new"], store.Keys);
    }

    [Fact]
    public void Nan_or_infinite_ttl_never_expires_and_negative_expires_at_once()
    {
        var store = NewStore();
        store.Set("nan", "N", ttlSeconds: double.NaN);
        store.Set("inf", "I", ttlSeconds: double.PositiveInfinity);
        store.Set("neg", "X", ttlSeconds: -1);
        _time.AdvanceSeconds(1e6);
        Assert.Equal(["nan", "inf"], store.Keys);
    }

    [Fact]
    public void Default_key_is_set_and_unset_by_deleting_that_key()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.SetDefaultKey(" a ");
        Assert.Equal("a", store.DefaultKey);
        Assert.False(store.Delete("other"));
        Assert.Equal("a", store.DefaultKey);
        Assert.True(store.Delete("a"));
        Assert.Null(store.DefaultKey);
        Assert.Equal([("a", PromptCacheRemovalReason.Deleted)], Removed(store));
    }

    [Fact]
    public void Deleting_the_default_key_unsets_it_even_when_it_has_no_entry()
    {
        var store = NewStore();
        store.SetDefaultKey("ghost");
        Assert.False(store.Delete("ghost"));
        Assert.Null(store.DefaultKey);
    }

    [Fact]
    public void Eviction_and_expiry_leave_the_default_key_alone()
    {
        var store = NewStore(maxEntries: 1);
        store.Set("a", "A", ttlSeconds: 1);
        store.SetDefaultKey("a");
        store.Set("b", "B");
        _time.AdvanceSeconds(5);
        Assert.Equal("a", store.DefaultKey);
    }

    [Fact]
    public void Delete_counts_an_expired_entry_not_yet_purged_as_existing()
    {
        var store = NewStore();
        store.Set("a", "A", ttlSeconds: 1);
        _time.AdvanceSeconds(2);
        Assert.True(store.Delete("a"));
    }

    [Fact]
    public void Clear_drops_everything_and_the_default_key()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.Set("b", "B");
        store.SetDefaultKey("b");
        store.Clear();

        Assert.Empty(store.Keys);
        Assert.Null(store.DefaultKey);
        Assert.Equal([("a", PromptCacheRemovalReason.Cleared), ("b", PromptCacheRemovalReason.Cleared)], Removed(store));
    }

    [Fact]
    public void Keys_are_trimmed_and_blank_keys_are_refused()
    {
        var store = NewStore();
        store.Set(" k\u001c", "K");
        Assert.True(store.TryGet("k", out _));
        Assert.Throws<ArgumentException>(() => store.Set(" ", "X"));
        Assert.False(store.TryGet("  ", out _));
        Assert.False(store.Delete(""));
    }

    [Fact]
    public void Meta_is_copied_in_and_out()
    {
        var store = NewStore();
        var meta = new JsonObject { ["backend"] = "llama_cpp" };
        store.Set("a", "A", meta: meta);
        meta["backend"] = "changed";
        Assert.True(store.TryGet("a", out var entry));
        entry.Meta["backend"] = "changed too";

        Assert.True(store.TryPeek("a", out var again));
        Assert.Equal("llama_cpp", again.Meta["backend"]!.GetValue<string>());
    }

    [Fact]
    public void Hits_and_timestamps_are_tracked()
    {
        var store = NewStore();
        var created = store.Set("a", "A");
        _time.AdvanceSeconds(3);
        store.TryGet("a", out _);
        store.TryGet("a", out var entry);

        Assert.Equal(2, entry!.Hits);
        Assert.Equal(created.CreatedAt, entry.CreatedAt);
        Assert.Equal(created.CreatedAt.AddSeconds(3), entry.LastUsedAt);
    }

    [Fact]
    public void Stats_have_the_original_shape_with_our_bookkeeping_after_the_original_meta()
    {
        var store = NewStore(defaultTtl: 60);
        store.Set("a", "A", meta: new JsonObject { ["backend"] = "llama_cpp" });
        store.Set("p", "P", meta: new JsonObject { ["namespace"] = "ns" }, immutable: true, location: PromptCacheLocation.Ram);
        store.SetDefaultKey("a");

        var stats = store.GetStats();
        Assert.Equal((2, 32, 60.0, "a"), (stats.Entries, stats.MaxEntries, stats.DefaultTtlSeconds!.Value, stats.DefaultKey));
        Assert.Equal(["a", "p"], stats.Keys);
        Assert.Equal(["a", "p"], stats.MetaByKey.Select(m => m.Key));
        var meta = stats.MetaByKey[1].Value;
        Assert.Equal(
            ["namespace", "binding_id", "created_at_s", "fed_token_count", "hits", "created_at", "last_used_at", "immutable", "location"],
            meta.Select(p => p.Key));
        Assert.True(meta["immutable"]!.GetValue<bool>());
        Assert.Equal("ram", meta["location"]!.GetValue<string>());
        Assert.Equal(0, meta["fed_token_count"]!.GetValue<int>());
    }

    [Fact]
    public void Every_new_cache_gets_its_own_binding_id_and_creation_time_and_keeps_them_when_renewed()
    {
        var store = NewStore();
        var a = store.Set("a", "A");
        var b = store.Set("b", "B");
        Assert.NotEqual(a.Meta["binding_id"]!.GetValue<string>(), b.Meta["binding_id"]!.GetValue<string>());
        Assert.Matches("^pcb_[0-9a-f]{32}$", a.Meta["binding_id"]!.GetValue<string>());

        // Re-stored with its own meta (an update with a TTL): the identity stays.
        var renewed = store.Set("a", "A", ttlSeconds: 9, meta: a.Meta);
        Assert.Equal(a.Meta["binding_id"]!.GetValue<string>(), renewed.Meta["binding_id"]!.GetValue<string>());
        Assert.Equal(a.Meta["created_at_s"]!.GetValue<double>(), renewed.Meta["created_at_s"]!.GetValue<double>());
    }

    [Fact]
    public void A_cache_saved_without_the_new_fields_gets_them_and_keeps_its_own()
    {
        // What the previous version persisted: meta without binding_id or created_at_s.
        var store = new PromptCacheStore<string>(new PromptCacheStoreOptions { Model = "m", Provider = "llama_cpp" });
        var legacy = store.Set("ns:0123456789abcdef", "P", meta: new JsonObject { ["backend"] = "provider", ["binding_id"] = "pcb_kept" });
        Assert.Equal("pcb_kept", legacy.Meta["binding_id"]!.GetValue<string>());
        Assert.True(legacy.Meta["created_at_s"]!.GetValue<double>() > 0);
        Assert.Equal(("m", "llama_cpp"), (legacy.Meta["model"]!.GetValue<string>(), legacy.Meta["provider"]!.GetValue<string>()));
    }

    [Fact]
    public void Fed_token_count_follows_the_token_count_the_engine_keeps()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.TrySetMeta("a", "token_count", 42);
        Assert.Equal(42, store.GetStats().MetaByKey[0].Value["fed_token_count"]!.GetValue<int>());
    }

    [Fact]
    public void Meta_and_payload_can_be_updated_in_place_without_using_the_entry()
    {
        var store = NewStore();
        store.Set("a", "A");
        store.Set("b", "B");
        Assert.True(store.TrySetMeta("a", "token_count", 42));
        Assert.True(store.TryRelocate("a", "A-in-ram", PromptCacheLocation.Ram));
        Assert.False(store.TrySetMeta("missing", "x", 1));

        Assert.Equal(["a", "b"], store.Keys);
        Assert.True(store.TryPeek("a", out var entry));
        Assert.Equal(("A-in-ram", PromptCacheLocation.Ram, 42), (entry.Payload, entry.Location, entry.Meta["token_count"]!.GetValue<int>()));
        Assert.Empty(store.TakeRemoved());
    }

    [Fact]
    public void Non_finite_default_ttl_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewStore(defaultTtl: double.PositiveInfinity));
    }

    [Fact]
    public void Concurrent_readers_and_writers_keep_the_store_consistent()
    {
        var store = NewStore(maxEntries: 8, defaultTtl: 1000);
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            switch (i % 4)
            {
                case 0:
                    store.Set($"k{i % 50}", $"v{i}");
                    break;
                case 1:
                    store.TryGet($"k{i % 50}", out _);
                    break;
                case 2:
                    Assert.True(store.GetStats().Entries <= 8);
                    break;
                default:
                    store.Delete($"k{(i + 1) % 50}");
                    break;
            }
        });

        Assert.True(store.Count <= 8);
        var payloadsOut = store.TakeRemoved().Count;
        Assert.Equal(1000, payloadsOut + store.Count);
    }
}
