using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching.Control;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

/// <summary>Golden bytes: the original's dicts rendered by Starlette (insertion order, compact, raw UTF-8).</summary>
public sealed class ResponseWriterTests
{
    private static void AssertBody(string expected, byte[] actual) => Assert.Equal(Encoding.UTF8.GetBytes(expected), actual);

    private const string Capabilities =
        """{"supported":true,"mode":"local_control_plane","supports_set":true,"supports_clear":true,"supports_update":true,"supports_fork":true,"supports_prepare_modules":true,"supports_stats":true,"supports_save":false,"supports_load":false,"supports_ttl":true,"notes":["Named caches are llama.cpp KV sequences of the served model, kept in memory; start with --prompt-cache-dir to save them and reload them at start."]}""";

    private static readonly PromptCacheCapabilities Local = PromptCacheCapabilities.LocalControlPlane(persistent: false);

    [Fact]
    public void Capabilities_reply_and_object()
    {
        AssertBody($$"""{"supported":true,"operation":"capabilities","capabilities":{{Capabilities}}}""", PromptCacheResponseWriter.Capabilities(Local));
        AssertBody(
            """{"supported":false,"operation":"capabilities","capabilities":{"supported":false,"mode":"none","supports_set":false,"supports_clear":false,"supports_update":false,"supports_fork":false,"supports_prepare_modules":false,"supports_stats":false,"supports_save":false,"supports_load":false,"supports_ttl":false,"notes":["This backend has no named prompt caches."]}}""",
            PromptCacheResponseWriter.Capabilities(PromptCacheCapabilities.None));
        var persistent = Encoding.UTF8.GetString(PromptCacheResponseWriter.CapabilitiesObject(PromptCacheCapabilities.LocalControlPlane(persistent: true)));
        Assert.Contains("\"supports_save\":true,\"supports_load\":true", persistent, StringComparison.Ordinal);
    }

    [Fact]
    public void Ok_envelopes_name_the_operation_and_carry_the_capabilities()
    {
        AssertBody($$"""{"supported":true,"operation":"set","ok":true,"capabilities":{{Capabilities}}}""", PromptCacheResponseWriter.Ok("set", true, Local));
        AssertBody($$"""{"supported":true,"operation":"clear","ok":false,"capabilities":{{Capabilities}}}""", PromptCacheResponseWriter.Ok("clear", false, Local));
    }

    [Fact]
    public void Coded_errors_say_which_rule_and_why()
    {
        AssertBody(
            $$"""{"supported":false,"operation":"fork","code":"prompt_cache_missing_source_key","error":"bad \"x\" é","capabilities":{{Capabilities}}}""",
            PromptCacheResponseWriter.Error("fork", PromptCacheErrorCodes.MissingSourceKey, "bad \"x\" é", Local));
    }

    [Fact]
    public void Stats_of_an_empty_store_omit_meta_by_key()
    {
        var stats = new PromptCacheStore<int>().GetStats();
        AssertBody(
            $$$"""{"supported":true,"operation":"stats","capabilities":{{{Capabilities}}},"stats":{"entries":0,"max_entries":32,"default_ttl_s":null,"default_key":null,"capabilities":{{{Capabilities}}},"keys":[]}}""",
            PromptCacheResponseWriter.Stats(stats, Local));
    }

    [Fact]
    public void Stats_with_entries()
    {
        var time = new ManualTimeProvider();
        var store = new PromptCacheStore<int>(new PromptCacheStoreOptions { MaxEntries = 4, DefaultTtlSeconds = 60 }, time);
        store.Set("tenant:é", 1, meta: new JsonObject { ["backend"] = "llama_cpp", ["binding_id"] = "pcb_1", ["created_at_s"] = 1.25 });
        time.AdvanceSeconds(1.5);
        store.Set("k2", 2, meta: new JsonObject { ["forked_from"] = "tenant:é", ["token_count"] = 12, ["binding_id"] = "pcb_2", ["created_at_s"] = 2.5 }, immutable: true);
        store.TryGet("tenant:é", out _);
        store.SetDefaultKey("k2");

        AssertBody(
            """{"supported":true,"operation":"stats","capabilities":CAPS,"stats":{"entries":2,"max_entries":4,"default_ttl_s":60.0,"default_key":"k2","capabilities":CAPS,"keys":["k2","tenant:é"],"meta_by_key":{"k2":{"forked_from":"tenant:é","token_count":12,"binding_id":"pcb_2","created_at_s":2.5,"fed_token_count":12,"hits":0,"created_at":1735787046.5,"last_used_at":1735787046.5,"immutable":true,"location":"kv"},"tenant:é":{"backend":"llama_cpp","binding_id":"pcb_1","created_at_s":1.25,"fed_token_count":0,"hits":1,"created_at":1735787045.0,"last_used_at":1735787046.5,"immutable":false,"location":"kv"}}}}""".Replace("CAPS", Capabilities, StringComparison.Ordinal),
            PromptCacheResponseWriter.Stats(store.GetStats(), Local));
    }

    [Fact]
    public void Stats_refuse_non_finite_floats_like_starlette()
    {
        var stats = new PromptCacheStats(0, 1, null, null, [], [new("k", new JsonObject { ["x"] = double.NaN })]);
        Assert.Throws<ArgumentException>(() => PromptCacheResponseWriter.Stats(stats, Local));
    }

    [Fact]
    public void Prepare_modules_success_body_has_capabilities_and_no_operation()
    {
        using var modules = JsonDocument.Parse("""[{"module_id":"system","system_prompt":"You are helpful"}]""");
        var manager = new PromptCacheManager<FakeCache>(new PromptCacheStore<FakeCache>(), new FakeBackend());
        var result = manager.PrepareModules("tenantA:stub-model", [.. modules.RootElement.EnumerateArray()], PromptCacheFragmentReader.Instance);
        var derived = result.Modules[0];

        AssertBody(
            $$"""{"supported":true,"capabilities":{{Capabilities}},"namespace":"tenantA:stub-model","version":1,"modules":[{"module_id":"system","cache_key":"{{derived.CacheKey}}","module_hash":"{{derived.ModuleHash}}"}],"final_cache_key":"{{derived.CacheKey}}"}""",
            PromptCacheResponseWriter.PrepareModules(result, Local));
    }
}
