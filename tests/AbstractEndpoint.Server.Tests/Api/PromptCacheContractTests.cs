using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// AbstractCore's newest control-plane contract (shared/docs/upstream-endpoint-2026.md sections 3–6) and the chat
/// fields that go with it (<c>prompt_cache_binding</c>, <c>prompt_cache_retention</c>, the <c>abstractcore</c>
/// object), against the real server: every route, every code we can reach over HTTP, every envelope field.
/// </summary>
public sealed class PromptCacheContractTests(PromptCacheServerFixture fixture) : IClassFixture<PromptCacheServerFixture>
{
    private const string WorkedExample = """
        [{"module_id":"persona","system_prompt":"You are Ada, a careful assistant."},
         {"module_id":"memory","messages":[{"role":"user","content":"My name is Bo."},{"role":"assistant","content":"Hello Bo."}]}]
        """;

    private static readonly string[] CapabilityFields =
    [
        "supported", "mode", "supports_set", "supports_clear", "supports_update", "supports_fork", "supports_prepare_modules",
        "supports_stats", "supports_save", "supports_load", "supports_ttl", "notes",
    ];

    private RunningServer Server => fixture.Server;

    [Fact]
    public async Task Capabilities_route_describes_the_local_control_plane_without_save_and_load()
    {
        var root = JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri("acore/prompt_cache/capabilities", UriKind.Relative))).RootElement;

        Assert.Equal(["supported", "operation", "capabilities"], Names(root));
        Assert.True(root.GetProperty("supported").GetBoolean());
        Assert.Equal("capabilities", root.GetProperty("operation").GetString());
        var capabilities = root.GetProperty("capabilities");
        AssertCapabilities(capabilities);
        Assert.False(capabilities.GetProperty("supports_save").GetBoolean());
        Assert.False(capabilities.GetProperty("supports_load").GetBoolean());
        Assert.Contains("--prompt-cache-dir", capabilities.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_blank_key_is_prompt_cache_invalid_key()
    {
        AssertCode("set", "prompt_cache_invalid_key", await PostAsync("set", """{"key":"  "}"""));
        AssertCode("update", "prompt_cache_invalid_key", await PostAsync("update", """{"key":"\t","prompt":"x"}"""));
        AssertCode("fork", "prompt_cache_invalid_key", await PostAsync("fork", """{"from_key":" ","to_key":"c-fork-a"}"""));
        await PostAsync("set", """{"key":"c-src","make_default":false}""");
        AssertCode("fork", "prompt_cache_invalid_key", await PostAsync("fork", """{"from_key":"c-src","to_key":" "}"""));
    }

    [Fact]
    public async Task Fork_and_clear_of_an_unknown_key_say_which_key()
    {
        var fork = AssertCode("fork", "prompt_cache_missing_source_key", await PostAsync("fork", """{"from_key":"c-nowhere","to_key":"c-x"}"""));
        Assert.Contains("c-nowhere", fork, StringComparison.Ordinal);
        var clear = AssertCode("clear", "prompt_cache_missing_key", await PostAsync("clear", """{"key":"c-nowhere"}"""));
        Assert.Contains("c-nowhere", clear, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_that_no_longer_fits_the_context_says_so_with_the_numbers()
    {
        var words = string.Join(' ', Enumerable.Repeat("sea ship wind storm harbour friend light night", 200));
        var error = AssertCode("update", "prompt_cache_append_failed", await PostAsync("update", $$"""{"key":"c-long","prompt":"{{words}}"}"""));

        Assert.Contains("does not fit the context of 1024 tokens", error, StringComparison.Ordinal);
        Assert.Matches(@"renders to \d{4,} tokens", error);
    }

    [Fact]
    public async Task Update_takes_thinking_as_chat_does_and_refuses_an_unknown_word()
    {
        AssertOk("update", await PostAsync("update", """{"key":"c-think","system_prompt":"Be brief.","thinking":"high"}"""));
        AssertOk("update", await PostAsync("update", """{"key":"c-think","prompt":"Hi","thinking":false}"""));
        var error = AssertCode("update", "prompt_cache_invalid_thinking", await PostAsync("update", """{"key":"c-think","prompt":"x","thinking":"loud"}"""));
        Assert.Contains("'loud'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prepare_modules_derives_the_spec_s_worked_example_keys_exactly()
    {
        var body = await PostAsync("prepare_modules", $$"""{"namespace":"tenant:1","modules":{{WorkedExample}}}""");
        var root = JsonDocument.Parse(body).RootElement;

        // Upstream returns the provider's dict: no operation and no ok.
        Assert.Equal(["supported", "capabilities", "namespace", "version", "modules", "final_cache_key"], Names(root));
        AssertCapabilities(root.GetProperty("capabilities"));
        Assert.Equal(
            ["tenant:1:b7ceb4cf434d67fabbabf77de95f9f4e", "tenant:1:87213f16e191d4cb60cc3109f0cd1182"],
            root.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("cache_key").GetString()));
        Assert.Equal(
            ["59c835bdace45a487b6f77869e43e2d88c0cf0984a2af26415c0403d9c100adc", "5fa59b37f33e9167c299786cfdfb4f54d407be8dd586c26627af95ef28dfdb7e"],
            root.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("module_hash").GetString()));
        Assert.Equal("tenant:1:87213f16e191d4cb60cc3109f0cd1182", root.GetProperty("final_cache_key").GetString());

        // Our thinking fold gives other keys (computed with python3: see Data/generate_python_vectors.py).
        var thinking = JsonDocument.Parse(await PostAsync("prepare_modules",
            $$"""{"namespace":"tenant:1","modules":{{WorkedExample}},"thinking":"on"}""")).RootElement;
        Assert.Equal("tenant:1:82d50628a212dcabc1c9c8a38e1459aa", thinking.GetProperty("final_cache_key").GetString());
    }

    [Fact]
    public async Task Prepare_modules_validates_everything_before_building_anything()
    {
        AssertCode("prepare_modules", "prompt_cache_invalid_namespace", await PostAsync("prepare_modules", """{"namespace":"  ","modules":[{"module_id":"a"}]}"""));
        AssertCode("prepare_modules", "prompt_cache_no_modules", await PostAsync("prepare_modules", """{"namespace":"c-ns","modules":[]}"""));
        AssertCode("prepare_modules", "prompt_cache_invalid_thinking", await PostAsync("prepare_modules", """{"namespace":"c-ns","modules":[{"module_id":"a"}],"thinking":"loud"}"""));
        var error = AssertCode("prepare_modules", "prompt_cache_invalid_module", await PostAsync("prepare_modules",
            """{"namespace":"c-ns","modules":[{"module_id":"a","prompt":"x"},{"module_id":"b","extra":1}]}"""));
        Assert.Equal("Invalid prompt cache module at index 1: unknown field 'extra'", error);

        // Nothing of the valid first module was built.
        Assert.DoesNotContain((await StatsAsync()).GetProperty("keys").EnumerateArray(), k => k.GetString()!.StartsWith("c-ns:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stats_have_a_row_for_every_key_with_the_contract_fields()
    {
        await PostAsync("set", """{"key":"c-row","make_default":false}""");
        await PostAsync("update", """{"key":"c-row","system_prompt":"You keep notes."}""");
        var root = JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative))).RootElement;

        Assert.Equal(["supported", "operation", "capabilities", "stats"], Names(root));
        Assert.Equal("stats", root.GetProperty("operation").GetString());
        var stats = root.GetProperty("stats");
        Assert.Equal(["entries", "max_entries", "default_ttl_s", "default_key", "capabilities", "keys", "meta_by_key"], Names(stats));
        AssertCapabilities(stats.GetProperty("capabilities"));
        var rows = stats.GetProperty("meta_by_key");
        foreach (var key in stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!))
        {
            var row = rows.GetProperty(key);
            Assert.True(row.GetProperty("created_at_s").GetDouble() > 1.7e9, key);
            Assert.Matches("^pcb_[0-9a-f]{32}$", row.GetProperty("binding_id").GetString());
            Assert.Equal(row.GetProperty("token_count").GetInt32(), row.GetProperty("fed_token_count").GetInt32());
            Assert.True(row.GetProperty("bytes").GetInt64() > 0, key); // llama.cpp's size of the cache's state
            Assert.Equal("llama_cpp", row.GetProperty("provider").GetString());
            Assert.False(string.IsNullOrEmpty(row.GetProperty("model").GetString()));
        }

        Assert.True(rows.GetProperty("c-row").GetProperty("fed_token_count").GetInt32() > 0);
    }

    [Fact]
    public async Task Every_reply_reports_its_execution_and_a_keyed_reply_its_cache_outcome()
    {
        var plain = await ChatAsync("""{"messages":[{"role":"user","content":"Hi"}]}""");
        var execution = plain.GetProperty("abstractcore").GetProperty("execution");
        Assert.Equal(["mode", "peak_batch_size", "queue_s", "ttft_s"], Names(execution));
        Assert.Equal("continuous", execution.GetProperty("mode").GetString());
        Assert.True(execution.GetProperty("peak_batch_size").GetInt32() >= 1);
        Assert.True(execution.GetProperty("queue_s").GetDouble() >= 0);
        Assert.True(execution.GetProperty("ttft_s").GetDouble() >= execution.GetProperty("queue_s").GetDouble());
        Assert.False(plain.GetProperty("abstractcore").TryGetProperty("prompt_cache", out _));

        await PostAsync("set", """{"key":"c-chat","make_default":false}""");
        var coldReply = await ChatAsync("""{"prompt_cache_key":"c-chat","messages":[{"role":"user","content":"Hello"}]}""");
        var cold = coldReply.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal(["mode", "key", "outcome", "cached_tokens", "fed_tokens"], Names(cold));
        Assert.Equal(("key", "c-chat", "cold"), (cold.GetProperty("mode").GetString(), cold.GetProperty("key").GetString(), cold.GetProperty("outcome").GetString()));
        // An empty cache is cold, though the slot may still reuse a prefix of its own: the counts say what was fed.
        Assert.Equal(
            coldReply.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
            cold.GetProperty("cached_tokens").GetInt32() + cold.GetProperty("fed_tokens").GetInt32());

        // A cache holding a rendered persona: a delta after it reuses the whole cache and feeds only the new turn.
        AssertOk("update", await PostAsync("update", """{"key":"c-warm","system_prompt":"You are a storyteller of the sea, in simple words."}"""));
        var next = await ChatAsync("""{"prompt_cache_key":"c-warm","messages":[{"role":"user","content":"More"}]}""");
        var warm = next.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal("hit_extend", warm.GetProperty("outcome").GetString());
        var usage = next.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32(), warm.GetProperty("cached_tokens").GetInt32());
        Assert.Equal(
            usage.GetProperty("prompt_tokens").GetInt32() - warm.GetProperty("cached_tokens").GetInt32(),
            warm.GetProperty("fed_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stream_s_final_chunks_carry_the_abstractcore_object()
    {
        var events = await SseClient.PostStreamAsync(Server,
            """{"model":"","max_tokens":4,"temperature":0,"stream":true,"stream_options":{"include_usage":true},"prompt_cache_key":"c-stream","messages":[{"role":"user","content":"Hi"}]}""");
        var chunks = events.Where(e => e != "[DONE]").Select(e => JsonDocument.Parse(e).RootElement).ToList();

        var finish = chunks.Single(c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.String);
        Assert.Equal("c-stream", finish.GetProperty("abstractcore").GetProperty("prompt_cache").GetProperty("key").GetString());
        Assert.Equal("continuous", finish.GetProperty("abstractcore").GetProperty("execution").GetProperty("mode").GetString());
        var last = chunks[^1];
        Assert.True(last.TryGetProperty("usage", out _));
        Assert.Equal("cold", last.GetProperty("abstractcore").GetProperty("prompt_cache").GetProperty("outcome").GetString());
        Assert.All(chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1 && c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind == JsonValueKind.Null),
            c => Assert.False(c.TryGetProperty("abstractcore", out _)));
    }

    [Fact]
    public async Task A_binding_resolves_its_key_when_it_matches_the_cache_s_record()
    {
        await PostAsync("set", """{"key":"c-bound","make_default":false}""");
        var bindingId = (await StatsAsync()).GetProperty("meta_by_key").GetProperty("c-bound").GetProperty("binding_id").GetString();

        // A bare string is a binding_id; the key comes from prompt_cache_key.
        var bare = await ChatAsync($$"""{"prompt_cache_key":"c-bound","prompt_cache_binding":"{{bindingId}}","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal("c-bound", bare.GetProperty("abstractcore").GetProperty("prompt_cache").GetProperty("key").GetString());

        // An object's key becomes the request's key; retention is accepted.
        var full = await ChatAsync($$"""{"prompt_cache_binding":{"key":"c-bound","binding_id":"{{bindingId}}","provider":"llama_cpp"},"prompt_cache_retention":"24h","messages":[{"role":"user","content":"Again"}]}""");
        Assert.Equal("c-bound", full.GetProperty("abstractcore").GetProperty("prompt_cache").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_binding_that_does_not_hold_gets_its_status_code_and_details()
    {
        await PostAsync("set", """{"key":"c-bind","make_default":false}""");
        const string Hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

        await AssertBindingErrorAsync(HttpStatusCode.BadRequest, "prompt_cache_binding_key_mismatch",
            $$"""{"prompt_cache_key":"c-bind","prompt_cache_binding":{"key":"c-other"},{{Hi}}}""");
        await AssertBindingErrorAsync(HttpStatusCode.BadRequest, "prompt_cache_binding_invalid_key",
            $$"""{"prompt_cache_binding":"pcb_x",{{Hi}}}""");
        await AssertBindingErrorAsync(HttpStatusCode.BadRequest, "prompt_cache_binding_invalid",
            $$"""{"prompt_cache_key":"c-bind","prompt_cache_binding":{},{{Hi}}}""");
        await AssertBindingErrorAsync(HttpStatusCode.Conflict, "prompt_cache_binding_missing",
            $$"""{"prompt_cache_key":"c-never-made","prompt_cache_binding":"pcb_x",{{Hi}}}""");
        var mismatch = await AssertBindingErrorAsync(HttpStatusCode.Conflict, "prompt_cache_binding_mismatch",
            $$"""{"prompt_cache_key":"c-bind","prompt_cache_binding":"pcb_not_this_one",{{Hi}}}""");
        Assert.Contains("pcb_not_this_one", mismatch, StringComparison.Ordinal);
        await AssertBindingErrorAsync(HttpStatusCode.Conflict, "prompt_cache_binding_mismatch",
            $$"""{"prompt_cache_binding":{"key":"c-bind","model":"another-model"},{{Hi}}}""");

        // A refused binding never created the key it named.
        Assert.DoesNotContain("c-never-made", (await StatsAsync()).GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    private async Task<string> AssertBindingErrorAsync(HttpStatusCode status, string code, string body)
    {
        using var response = await Server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), Json(WithModel(body)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, text);

        // Our top-level OpenAI envelope (upstream wraps it in FastAPI's "detail"), with the code and upstream's details.
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        var details = error.GetProperty("details");
        Assert.Equal(["supported", "operation", "code", "error", "capabilities"], Names(details));
        Assert.Equal(("binding", code), (details.GetProperty("operation").GetString(), details.GetProperty("code").GetString()));
        Assert.Equal(error.GetProperty("message").GetString(), details.GetProperty("error").GetString());
        AssertCapabilities(details.GetProperty("capabilities"));
        return error.GetProperty("message").GetString()!;
    }

    private static void AssertCapabilities(JsonElement capabilities)
    {
        Assert.Equal(CapabilityFields, Names(capabilities));
        Assert.Equal("local_control_plane", capabilities.GetProperty("mode").GetString());
        foreach (var flag in new[] { "supported", "supports_set", "supports_clear", "supports_update", "supports_fork", "supports_prepare_modules", "supports_stats", "supports_ttl" })
        {
            Assert.True(capabilities.GetProperty(flag).GetBoolean(), flag);
        }
    }

    private static void AssertOk(string operation, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["supported", "operation", "ok", "capabilities"], Names(root));
        Assert.True(root.GetProperty("ok").GetBoolean(), body);
        Assert.Equal(operation, root.GetProperty("operation").GetString());
        AssertCapabilities(root.GetProperty("capabilities"));
    }

    /// <summary>The coded envelope; returns its error text.</summary>
    private static string AssertCode(string operation, string code, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["supported", "operation", "code", "error", "capabilities"], Names(root));
        Assert.False(root.GetProperty("supported").GetBoolean());
        Assert.Equal((operation, code), (root.GetProperty("operation").GetString(), root.GetProperty("code").GetString()));
        AssertCapabilities(root.GetProperty("capabilities"));
        var error = root.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error;
    }

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string WithModel(string body) => "{\"model\":\"\",\"max_tokens\":4,\"temperature\":0," + body[1..];

    /// <summary>Every handled outcome of the control plane is HTTP 200, as upstream.</summary>
    private async Task<string> PostAsync(string route, string body)
    {
        using var response = await Server.Http.PostAsync(new Uri($"acore/prompt_cache/{route}", UriKind.Relative), Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private async Task<JsonElement> StatsAsync() =>
        JsonDocument.Parse(await Server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative))).RootElement.GetProperty("stats").Clone();

    private async Task<JsonElement> ChatAsync(string body)
    {
        using var response = await Server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), Json(WithModel(body)));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
