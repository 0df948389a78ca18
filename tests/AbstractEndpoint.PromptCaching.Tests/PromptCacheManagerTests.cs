using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.Core.Chat;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;

namespace AbstractEndpoint.PromptCaching.Tests;

public sealed class PromptCacheManagerTests
{
    private const string Modules = """
        [{"module_id":"system","system_prompt":"You are helpful"},
         {"module_id":"tools","tools":[{"type":"function","function":{"name":"t","parameters":{}}}]},
         {"module_id":"turn","prompt":"hi","add_generation_prompt":true}]
        """;

    private readonly ManualTimeProvider _time = new();
    private readonly StubFragmentReader _reader = new();
    private readonly FakeBackend _backend = new();
    private readonly PromptCacheManager<FakeCache> _manager;

    public PromptCacheManagerTests() =>
        _manager = new(new PromptCacheStore<FakeCache>(new PromptCacheStoreOptions { MaxEntries = 8 }, _time), _backend);

    private PromptCacheStore<FakeCache> Store => _manager.Store;

    private static List<JsonElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private PromptCachePrepareResult Prepare(string modules = Modules, bool makeDefault = false, double? ttl = null) =>
        _manager.PrepareModules("tenantA:modelX", Parse(modules), _reader, makeDefault, ttl);

    /// <summary>The meta without the identity the store stamps on every cache (binding_id, created_at_s).</summary>
    private static string Unstamped(JsonObject meta)
    {
        var copy = (JsonObject)meta.DeepClone();
        Assert.StartsWith("pcb_", copy["binding_id"]!.GetValue<string>());
        Assert.True(copy["created_at_s"]!.GetValue<double>() > 0);
        copy.Remove("binding_id");
        copy.Remove("created_at_s");
        return copy.ToJsonString();
    }

    private static string Code(Action operation) => Assert.Throws<PromptCacheOperationException>(operation).Code;

    /// <summary>Every cache the backend made is either in the store or released: nothing leaks.</summary>
    private void AssertNoLeak()
    {
        _manager.ReleaseRemoved();
        var stored = Store.Keys.Select(k => Store.TryPeek(k, out var e) ? e.Payload : null).ToHashSet();
        Assert.Equal(stored.Count, _backend.Live.Count);
        Assert.All(_backend.Live, c => Assert.Contains(c, stored));
    }

    [Fact]
    public void Set_creates_a_fresh_cache_with_backend_meta_and_makes_it_default()
    {
        Assert.True(_manager.Set(" k1 ", ttlSeconds: 30));
        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Equal("{\"backend\":\"llama_cpp\"}", Unstamped(entry.Meta));
        Assert.Equal(30, entry.TtlSeconds);
        Assert.Equal("k1", Store.DefaultKey);
    }

    [Fact]
    public void Set_resets_an_existing_cache_and_frees_the_old_one()
    {
        _manager.Set("k1");
        _manager.Update("k1", new PromptCacheFragment("hello"), _reader);
        Assert.True(_manager.Set("k1", makeDefault: false));

        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Empty(entry.Payload.Fragments);
        Assert.Single(_backend.Released);
        AssertNoLeak();
    }

    [Fact]
    public void Set_refuses_a_blank_key_with_its_code()
    {
        Assert.Equal(PromptCacheErrorCodes.InvalidKey, Code(() => _manager.Set("  ")));
        Assert.Null(Store.DefaultKey);
    }

    [Fact]
    public void Set_without_a_free_cache_says_the_backend_is_unavailable()
    {
        _backend.CanCreate = false;
        var error = Assert.Throws<PromptCacheOperationException>(() => _manager.Set("k1"));
        Assert.Equal(PromptCacheErrorCodes.BackendUnavailable, error.Code);
        Assert.Contains("every cache sequence is in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_creates_a_missing_key_without_making_it_default()
    {
        Assert.True(_manager.Update("k1", new PromptCacheFragment("hello"), _reader));
        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Equal("hello", Assert.Single(entry.Payload.Fragments).Prompt);
        Assert.Null(Store.DefaultKey);
    }

    [Fact]
    public void Update_with_a_ttl_restores_the_entry_with_it()
    {
        _manager.Set("k1", ttlSeconds: 5);
        Assert.True(_manager.Update("k1", new PromptCacheFragment("x"), _reader, ttlSeconds: 100));
        _time.AdvanceSeconds(50);
        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Equal(100, entry.TtlSeconds);
        Assert.Equal("llama_cpp", entry.Meta["backend"]!.GetValue<string>());
        AssertNoLeak();
    }

    [Fact]
    public void Update_without_a_ttl_keeps_the_key_s_own()
    {
        _manager.Set("k1", ttlSeconds: 5);
        Assert.True(_manager.Update("k1", new PromptCacheFragment("x"), _reader));
        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Equal(5, entry.TtlSeconds);
        _time.AdvanceSeconds(6);
        Assert.False(Store.TryPeek("k1", out _));
    }

    [Fact]
    public void Update_fails_with_its_code_when_the_backend_cannot_append()
    {
        _backend.FailAppendOnPrompt = "bad";
        Assert.Equal(PromptCacheErrorCodes.AppendFailed, Code(() => _manager.Update("k1", new PromptCacheFragment("bad"), _reader)));
        Assert.True(Store.TryPeek("k1", out _));
        Assert.Equal(PromptCacheErrorCodes.InvalidKey, Code(() => _manager.Update(" ", new PromptCacheFragment("x"), _reader)));
    }

    [Fact]
    public void Update_refuses_an_immutable_prepared_snapshot_and_says_why()
    {
        var final = Prepare().FinalCacheKey;
        var appends = _backend.Appends;
        var error = Assert.Throws<PromptCacheOperationException>(() => _manager.Update(final, new PromptCacheFragment("more"), _reader));
        Assert.Equal(PromptCacheErrorCodes.AppendFailed, error.Code);
        Assert.Contains("fork it", error.Message, StringComparison.Ordinal);
        Assert.Equal(appends, _backend.Appends);
    }

    [Fact]
    public void Update_passes_its_reasoning_control_to_the_backend()
    {
        _manager.Update("k1", new PromptCacheFragment("x", Reasoning: ReasoningControl.Off), _reader);
        Assert.True(Store.TryPeek("k1", out var entry));
        Assert.Equal(ReasoningControl.Off, Assert.Single(entry.Payload.Fragments).Reasoning);
    }

    [Fact]
    public void Fork_clones_and_records_the_first_ancestor()
    {
        _manager.Update("k1", new PromptCacheFragment("hello"), _reader);
        Assert.True(_manager.Fork("k1", "k2"));
        Assert.True(_manager.Fork("k2", "k3", makeDefault: true, ttlSeconds: 9));

        Assert.True(Store.TryPeek("k3", out var k3));
        Assert.Equal("k1", k3.Meta["forked_from"]!.GetValue<string>());
        Assert.Equal("llama_cpp", k3.Meta["backend"]!.GetValue<string>());
        Assert.Equal(9, k3.TtlSeconds);
        Assert.Equal("k3", Store.DefaultKey);

        Assert.True(Store.TryPeek("k1", out var k1));
        Assert.NotSame(k1.Payload, k3.Payload);
        k3.Payload.Fragments.Add(new PromptCacheAppend("mutate", [], null, [], false));
        Assert.Single(k1.Payload.Fragments);
    }

    [Fact]
    public void Fork_of_a_prepared_snapshot_is_mutable_and_keeps_its_meta()
    {
        var final = Prepare().FinalCacheKey;
        Assert.True(_manager.Fork(final, "session"));
        Assert.True(Store.TryPeek("session", out var session));
        Assert.False(session.Immutable);
        Assert.Equal(
            ["namespace", "module_id", "module_hash", "index", "backend", "token_count", "forked_from", "binding_id", "created_at_s"],
            session.Meta.Select(p => p.Key));
        Assert.True(Store.TryPeek(final, out var snapshot));
        Assert.NotEqual(snapshot.Meta["binding_id"]!.GetValue<string>(), session.Meta["binding_id"]!.GetValue<string>());
        Assert.True(_manager.Update("session", new PromptCacheFragment("next turn"), _reader));
    }

    [Fact]
    public void Fork_fails_with_its_codes_without_a_source_or_a_clone()
    {
        Assert.Equal(PromptCacheErrorCodes.MissingSourceKey, Code(() => _manager.Fork("missing", "k2")));
        _manager.Set("k1");
        Assert.Equal(PromptCacheErrorCodes.InvalidKey, Code(() => _manager.Fork("k1", " ")));
        Assert.Equal(PromptCacheErrorCodes.InvalidKey, Code(() => _manager.Fork(null, "k2")));
        _backend.CanClone = false;
        Assert.Equal(PromptCacheErrorCodes.CloneFailed, Code(() => _manager.Fork("k1", "k2")));
        Assert.False(Store.TryPeek("k2", out _));
    }

    [Fact]
    public void Clear_without_a_key_or_with_a_blank_one_drops_everything()
    {
        _manager.Set("k1");
        Assert.True(_manager.Clear());
        _manager.Set("k2");
        Assert.True(_manager.Clear("   "));
        Assert.Empty(Store.Keys);
        Assert.Null(Store.DefaultKey);
        AssertNoLeak();
    }

    [Fact]
    public void Clear_with_a_key_reports_whether_it_existed_and_unsets_the_default()
    {
        _manager.Set("k1");
        _manager.Set("k2", makeDefault: false);
        Assert.True(_manager.Clear("k1"));
        Assert.Equal(PromptCacheErrorCodes.MissingKey, Code(() => _manager.Clear("k1")));
        Assert.Null(Store.DefaultKey);
        Assert.Equal(["k2"], Store.Keys);
        AssertNoLeak();
    }

    [Fact]
    public void Prepare_builds_one_immutable_snapshot_per_module()
    {
        var result = Prepare(makeDefault: true, ttl: 120);

        Assert.Equal(3, _backend.Appends);
        Assert.Equal("tenantA:modelX:31bc3bc9970e8a373f02c57a0cd61273", result.FinalCacheKey);
        Assert.Equal(result.FinalCacheKey, Store.DefaultKey);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Store.TryPeek(result.Modules[i].CacheKey, out var entry));
            Assert.True(entry.Immutable);
            Assert.Equal(120, entry.TtlSeconds);
            Assert.Equal(i + 1, entry.Payload.Fragments.Count);
            Assert.Equal(
                $$"""{"namespace":"tenantA:modelX","module_id":"{{result.Modules[i].Module.ModuleId}}","module_hash":"{{result.Modules[i].ModuleHash}}","index":{{i}},"backend":"provider","token_count":{{(i + 1) * 10}}}""",
                Unstamped(entry.Meta));
        }

        AssertNoLeak();
    }

    [Fact]
    public void Fragments_are_read_only_when_appended()
    {
        var final = Prepare().FinalCacheKey!;
        var reads = _reader.Reads;
        Assert.Equal(3, reads);

        Code(() => _manager.Update(final, new PromptCacheFragment("more"), _reader)); // immutable: nothing appended
        Code(() => _manager.Update(" ", new PromptCacheFragment("blank key"), _reader));
        Code(() => _manager.PrepareModules(" ", Parse(Modules), _reader));
        Assert.Equal(reads, _reader.Reads);
    }

    [Fact]
    public void Prepare_passes_each_module_as_a_fragment()
    {
        var result = Prepare();
        Assert.True(Store.TryPeek(result.FinalCacheKey, out var entry));
        var fragments = entry.Payload.Fragments;
        Assert.Equal(("", "You are helpful", false), (fragments[0].Prompt, fragments[0].SystemPrompt, fragments[0].AddGenerationPrompt));
        Assert.Equal("t", fragments[1].Tools[0].Name);
        Assert.Equal(("hi", true), (fragments[2].Prompt, fragments[2].AddGenerationPrompt));
    }

    [Fact]
    public void Preparing_the_same_modules_again_appends_nothing()
    {
        var first = Prepare();
        var appends = _backend.Appends;
        var second = Prepare();
        Assert.Equal(appends, _backend.Appends);
        Assert.Equal(first.FinalCacheKey, second.FinalCacheKey);
        AssertNoLeak();
    }

    [Fact]
    public void Prepare_with_the_final_key_present_lists_the_existing_keys_and_builds_nothing()
    {
        var result = Prepare();
        _manager.Clear(result.Modules[1].CacheKey);
        var appends = _backend.Appends;

        var warm = Prepare();

        Assert.Equal(appends, _backend.Appends);
        Assert.Equal([result.Modules[0].CacheKey, result.Modules[2].CacheKey], warm.Modules.Select(m => m.CacheKey));
        AssertNoLeak();
    }

    [Fact]
    public void Prepare_reuses_the_longest_existing_leading_run_only()
    {
        var result = Prepare();
        _manager.Clear(result.Modules[1].CacheKey);
        _manager.Clear(result.Modules[2].CacheKey);
        var appends = _backend.Appends;

        Prepare();

        // Module 0 is reused; 1 and 2 are rebuilt.
        Assert.Equal(appends + 2, _backend.Appends);
        AssertNoLeak();
    }

    [Fact]
    public void Prepare_extends_an_existing_prefix_from_a_clone_of_it()
    {
        Prepare("""[{"module_id":"system","system_prompt":"You are helpful"}]""");
        var appends = _backend.Appends;
        var result = Prepare();
        Assert.Equal(appends + 2, _backend.Appends);
        Assert.True(Store.TryPeek(result.Modules[0].CacheKey, out var first));
        Assert.Single(first.Payload.Fragments);
        AssertNoLeak();
    }

    [Fact]
    public void Prepare_reports_the_contract_codes()
    {
        Assert.Equal(PromptCacheErrorCodes.InvalidNamespace, Code(() => _manager.PrepareModules(" ", Parse(Modules), _reader)));
        Assert.Equal(PromptCacheErrorCodes.NoModules, Code(() => _manager.PrepareModules("ns", Parse("[]"), _reader)));
        Assert.Equal(PromptCacheErrorCodes.InvalidModule, Code(() => _manager.PrepareModules("ns", Parse("""[{"prompt":"x"}]"""), _reader)));

        _backend.FailAppendOnPrompt = "hi";
        var failed = Assert.Throws<PromptCacheOperationException>(() => Prepare());
        Assert.Equal((PromptCacheErrorCodes.AppendFailed, "failed to append module 'turn'"), (failed.Code, failed.Message));
        _backend.FailAppendOnPrompt = null;

        _backend.CanClone = false;
        Assert.Equal(PromptCacheErrorCodes.CloneFailed, Code(() => Prepare("""[{"module_id":"other"}]""")));
        _backend.CanClone = true;

        _backend.CanCreate = false;
        Assert.Equal(PromptCacheErrorCodes.BackendUnavailable, Code(() => Prepare("""[{"module_id":"new"}]""")));
        AssertNoLeak();
    }

    [Fact]
    public void An_invalid_module_fails_the_whole_call_before_anything_is_built()
    {
        var error = Assert.Throws<PromptCacheOperationException>(() =>
            Prepare("""[{"module_id":"a","prompt":"x"},{"module_id":"b","extra":1}]"""));
        Assert.Equal("Invalid prompt cache module at index 1: unknown field 'extra'", error.Message);
        Assert.Equal(0, _backend.Appends);
        Assert.Empty(Store.Keys);
    }

    [Fact]
    public void The_warm_path_appends_nothing_and_keeps_the_ttl_but_applies_make_default()
    {
        var first = Prepare(ttl: 50);
        var appends = _backend.Appends;
        var again = Prepare(makeDefault: true, ttl: 999);
        Assert.Equal(appends, _backend.Appends);
        Assert.Equal(first.FinalCacheKey, again.FinalCacheKey);
        Assert.Equal(first.FinalCacheKey, Store.DefaultKey);
        Assert.True(Store.TryPeek(first.FinalCacheKey, out var entry));
        Assert.Equal(50, entry.TtlSeconds);
    }

    [Fact]
    public void Thinking_gives_other_keys_and_reaches_every_module()
    {
        var plain = Prepare();
        var thinking = _manager.PrepareModules("tenantA:modelX", Parse(Modules), _reader, reasoning: ReasoningControl.On);
        Assert.NotEqual(plain.FinalCacheKey, thinking.FinalCacheKey);
        Assert.Equal(plain.Modules.Select(m => m.ModuleHash), thinking.Modules.Select(m => m.ModuleHash));
        Assert.True(Store.TryPeek(thinking.FinalCacheKey, out var entry));
        Assert.All(entry.Payload.Fragments, f => Assert.Equal(ReasoningControl.On, f.Reasoning));
    }

    [Fact]
    public void Prepare_keeps_progress_made_before_a_failure()
    {
        _backend.FailAppendOnPrompt = "hi";
        Code(() => Prepare());
        Assert.Equal(2, Store.Count);

        _backend.FailAppendOnPrompt = null;
        var appends = _backend.Appends;
        Prepare();
        Assert.Equal(appends + 1, _backend.Appends);
        AssertNoLeak();
    }

    [Fact]
    public void Evictions_caused_by_the_control_plane_are_released()
    {
        for (var i = 0; i < 20; i++)
        {
            _manager.Set($"k{i}");
        }

        Assert.Equal(8, Store.Count);
        Assert.Equal(12, _backend.Released.Count);
        AssertNoLeak();
    }

    [Fact]
    public void Generation_key_is_the_requested_one_else_the_default()
    {
        Assert.Null(_manager.ResolveGenerationKey(null));
        _manager.Set("dflt");
        Assert.Equal("dflt", _manager.ResolveGenerationKey(null));
        Assert.Equal("dflt", _manager.ResolveGenerationKey("  "));
        Assert.Equal("mine", _manager.ResolveGenerationKey(" mine "));
    }

    [Fact]
    public void Generation_creates_an_unknown_key_on_first_use()
    {
        var entry = _manager.GetOrCreate("fresh");
        Assert.NotNull(entry);
        Assert.Null(Store.DefaultKey);
        Assert.Same(entry.Payload, _manager.GetOrCreate("fresh")!.Payload);
        _backend.CanCreate = false;
        Assert.Null(_manager.GetOrCreate("other"));
    }
}
