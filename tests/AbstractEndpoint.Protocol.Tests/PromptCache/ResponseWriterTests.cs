using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AbstractEndpoint.PromptCaching;
using AbstractEndpoint.PromptCaching.Manager;
using AbstractEndpoint.PromptCaching.Store;
using AbstractEndpoint.PromptCaching.Tests.Support;
using AbstractEndpoint.Protocol.PromptCache;

namespace AbstractEndpoint.Protocol.Tests.PromptCache;

/// <summary>Golden bytes: the original's dicts rendered by Starlette (insertion order, compact, raw UTF-8).</summary>
public sealed class ResponseWriterTests
{
    private static void AssertBody(string expected, byte[] actual) => Assert.Equal(Encoding.UTF8.GetBytes(expected), actual);

    [Fact]
    public void Ok_envelopes()
    {
        AssertBody("""{"supported":true,"ok":true}""", PromptCacheResponseWriter.Ok(true));
        AssertBody("""{"supported":true,"ok":false}""", PromptCacheResponseWriter.Ok(false));
    }

    [Fact]
    public void Unsupported_envelope_uses_the_original_texts()
    {
        AssertBody(
            """{"supported":false,"error":"provider does not support prompt cache control plane"}""",
            PromptCacheResponseWriter.Unsupported(PromptCacheMessages.ControlPlaneUnsupported));
        AssertBody("{\"supported\":false,\"error\":\"bad \\\"x\\\" é\"}", PromptCacheResponseWriter.Unsupported("bad \"x\" é"));
    }

    [Fact]
    public void Stats_of_an_empty_store_omit_meta_by_key()
    {
        var stats = new PromptCacheStore<int>().GetStats();
        AssertBody(
            """{"supported":true,"stats":{"entries":0,"max_entries":32,"default_ttl_s":null,"default_key":null,"keys":[]}}""",
            PromptCacheResponseWriter.Stats(stats));
    }

    [Fact]
    public void Stats_with_entries()
    {
        var time = new ManualTimeProvider();
        var store = new PromptCacheStore<int>(new PromptCacheStoreOptions { MaxEntries = 4, DefaultTtlSeconds = 60 }, time);
        store.Set("tenant:é", 1, meta: new JsonObject { ["backend"] = "llama_cpp" });
        time.AdvanceSeconds(1.5);
        store.Set("k2", 2, meta: new JsonObject { ["forked_from"] = "tenant:é", ["token_count"] = 12 }, immutable: true);
        store.TryGet("tenant:é", out _);
        store.SetDefaultKey("k2");

        AssertBody(
            """{"supported":true,"stats":{"entries":2,"max_entries":4,"default_ttl_s":60.0,"default_key":"k2","keys":["k2","tenant:é"],"meta_by_key":{"k2":{"forked_from":"tenant:é","token_count":12,"hits":0,"created_at":1735787046.5,"last_used_at":1735787046.5,"immutable":true,"location":"kv"},"tenant:é":{"backend":"llama_cpp","hits":1,"created_at":1735787045.0,"last_used_at":1735787046.5,"immutable":false,"location":"kv"}}}}""",
            PromptCacheResponseWriter.Stats(store.GetStats()));
    }

    [Fact]
    public void Stats_refuse_non_finite_floats_like_starlette()
    {
        var stats = new PromptCacheStats(0, 1, null, null, [], [new("k", new JsonObject { ["x"] = double.NaN })]);
        Assert.Throws<ArgumentException>(() => PromptCacheResponseWriter.Stats(stats));
    }

    [Fact]
    public void Prepare_modules_success_body()
    {
        using var modules = JsonDocument.Parse("""[{"module_id":"system","system_prompt":"You are helpful"}]""");
        var manager = new PromptCacheManager<FakeCache>(new PromptCacheStore<FakeCache>(), new FakeBackend());
        var result = manager.PrepareModules("tenantA:stub-model", [.. modules.RootElement.EnumerateArray()], PromptCacheFragmentReader.Instance);
        var derived = result.Modules[0];

        AssertBody(
            $$"""{"supported":true,"namespace":"tenantA:stub-model","version":1,"modules":[{"module_id":"system","cache_key":"{{derived.CacheKey}}","module_hash":"{{derived.ModuleHash}}"}],"final_cache_key":"{{derived.CacheKey}}"}""",
            PromptCacheResponseWriter.PrepareModules(result));
    }

    [Fact]
    public void Prepare_modules_failure_body()
    {
        AssertBody("""{"supported":false,"error":"no modules provided"}""",
            PromptCacheResponseWriter.PrepareModules(PromptCachePrepareResult.Failure(PromptCacheMessages.NoModules)));
    }
}
