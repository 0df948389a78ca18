using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Security;

/// <summary>
/// A real server with two API keys: each key sees, uses, forks and clears only its own named prompt caches, through
/// the control plane and through <c>prompt_cache_key</c> on chat. (Without keys the contract tests run unchanged.)
/// </summary>
public sealed class PromptCacheKeyIsolationTests : IAsyncLifetime
{
    private const string KeyA = "sk-tenant-a";
    private const string KeyB = "sk-tenant-b";

    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Threads = 2,
            Parallel = 2,
            ContextSize = 1024,
            ApiKey = KeyA + "," + KeyB,
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_key_sees_only_its_own_caches_under_the_names_it_gave()
    {
        AssertOk(await PostAsync(KeyA, "set", """{"key":"a-notes","make_default":false}"""));
        AssertOk(await PostAsync(KeyA, "update", """{"key":"a-notes","system_prompt":"You keep notes."}"""));

        var a = await StatsAsync(KeyA);
        Assert.Equal(["a-notes"], Keys(a));
        Assert.Equal(1, a.GetProperty("entries").GetInt32());
        Assert.Equal(["a-notes"], a.GetProperty("meta_by_key").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Empty(Keys(await StatsAsync(KeyB)));
    }

    [Fact]
    public async Task Another_key_cannot_fork_clear_or_bind_to_a_key_s_cache()
    {
        AssertOk(await PostAsync(KeyA, "update", """{"key":"a-private","system_prompt":"Secret persona."}"""));

        var fork = AssertCode("prompt_cache_missing_source_key", await PostAsync(KeyB, "fork", """{"from_key":"a-private","to_key":"b-copy"}"""));
        Assert.Contains("'a-private'", fork, StringComparison.Ordinal);
        Assert.DoesNotContain("@", fork, StringComparison.Ordinal);
        AssertCode("prompt_cache_missing_key", await PostAsync(KeyB, "clear", """{"key":"a-private"}"""));

        // Clearing "everything" clears everything of that key only.
        AssertOk(await PostAsync(KeyB, "set", """{"key":"b-own","make_default":false}"""));
        AssertOk(await PostAsync(KeyB, "clear", "{}"));
        Assert.Empty(Keys(await StatsAsync(KeyB)));
        Assert.Contains("a-private", Keys(await StatsAsync(KeyA)));

        // A binding names the key's own caches: A's cache is not live for B.
        using var bound = await ChatResponseAsync(KeyB, """{"prompt_cache_binding":{"key":"a-private"},"messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.Conflict, bound.StatusCode);
        Assert.Contains("prompt_cache_binding_missing", await bound.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A's fork of its own cache works, and B still sees none of it.
        AssertOk(await PostAsync(KeyA, "fork", """{"from_key":"a-private","to_key":"a-copy"}"""));
        var a = await StatsAsync(KeyA);
        Assert.Equal("a-private", a.GetProperty("meta_by_key").GetProperty("a-copy").GetProperty("forked_from").GetString());
        Assert.Empty(Keys(await StatsAsync(KeyB)));
    }

    [Fact]
    public async Task The_same_name_under_two_keys_is_two_caches_on_chat_too()
    {
        AssertOk(await PostAsync(KeyA, "update", """{"key":"shared","system_prompt":"You are a storyteller of the sea, in simple words."}"""));

        var a = await ChatAsync(KeyA, """{"prompt_cache_key":"shared","messages":[{"role":"user","content":"More"}]}""");
        var aCache = a.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal(("shared", "hit_extend"), (aCache.GetProperty("key").GetString(), aCache.GetProperty("outcome").GetString()));

        // B's "shared" is its own, made on first use: empty, so cold — A's persona is not reused.
        var b = await ChatAsync(KeyB, """{"prompt_cache_key":"shared","messages":[{"role":"user","content":"More"}]}""");
        var bCache = b.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal(("shared", "cold"), (bCache.GetProperty("key").GetString(), bCache.GetProperty("outcome").GetString()));
        Assert.Equal(["shared"], Keys(await StatsAsync(KeyB)));
        Assert.Equal(["shared"], Keys(await StatsAsync(KeyA)));

        // Clearing B's leaves A's.
        AssertOk(await PostAsync(KeyB, "clear", """{"key":"shared"}"""));
        Assert.Equal(["shared"], Keys(await StatsAsync(KeyA)));
    }

    [Fact]
    public async Task A_name_that_looks_namespaced_stays_in_the_sender_s_own_namespace()
    {
        var forged = $"@{KeyId(KeyB)}:b-target";
        AssertOk(await PostAsync(KeyB, "set", """{"key":"b-target","make_default":false}"""));
        AssertOk(await PostAsync(KeyA, "set", $$"""{"key":"{{forged}}","make_default":false}"""));

        Assert.Equal([forged], Keys(await StatsAsync(KeyA)));
        Assert.Equal(["b-target"], Keys(await StatsAsync(KeyB)));
        AssertCode("prompt_cache_missing_key", await PostAsync(KeyA, "clear", """{"key":"b-target"}"""));
        AssertOk(await PostAsync(KeyA, "clear", $$"""{"key":"{{forged}}"}"""));
        Assert.Equal(["b-target"], Keys(await StatsAsync(KeyB)));
    }

    [Fact]
    public async Task The_default_cache_is_per_key()
    {
        AssertOk(await PostAsync(KeyA, "update", """{"key":"a-default","system_prompt":"You are a storyteller of the sea, in simple words."}"""));
        AssertOk(await PostAsync(KeyA, "set", """{"key":"a-default-2"}"""));
        AssertOk(await PostAsync(KeyA, "fork", """{"from_key":"a-default","to_key":"a-default-3","make_default":true}"""));

        Assert.Equal("a-default-3", (await StatsAsync(KeyA)).GetProperty("default_key").GetString());
        Assert.Equal(JsonValueKind.Null, (await StatsAsync(KeyB)).GetProperty("default_key").ValueKind);

        var a = await ChatAsync(KeyA, """{"messages":[{"role":"user","content":"More"}]}""");
        var aCache = a.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal(("a-default-3", "hit_extend"), (aCache.GetProperty("key").GetString(), aCache.GetProperty("outcome").GetString()));

        // B has no default: its keyless chat uses no named cache at all.
        var b = await ChatAsync(KeyB, """{"messages":[{"role":"user","content":"More"}]}""");
        Assert.False(b.GetProperty("abstractcore").TryGetProperty("prompt_cache", out _));

        AssertOk(await PostAsync(KeyA, "clear", """{"key":"a-default-3"}"""));
        Assert.Equal(JsonValueKind.Null, (await StatsAsync(KeyA)).GetProperty("default_key").ValueKind);
    }

    [Fact]
    public async Task Prepared_module_keys_are_the_client_s_derivation_and_private_to_the_key()
    {
        const string Body = """{"namespace":"tenant:1","modules":[{"module_id":"sys","system_prompt":"You are terse."}]}""";
        var a = JsonDocument.Parse(await PostAsync(KeyA, "prepare_modules", Body)).RootElement;
        var b = JsonDocument.Parse(await PostAsync(KeyB, "prepare_modules", Body)).RootElement;

        var key = a.GetProperty("final_cache_key").GetString()!;
        Assert.StartsWith("tenant:1:", key, StringComparison.Ordinal);
        Assert.Equal(32, key["tenant:1:".Length..].Length);
        Assert.Equal("tenant:1", a.GetProperty("namespace").GetString());
        Assert.Equal(key, b.GetProperty("final_cache_key").GetString());
        Assert.Equal([key], Keys(await StatsAsync(KeyA)));
        Assert.Equal("tenant:1", (await StatsAsync(KeyA)).GetProperty("meta_by_key").GetProperty(key).GetProperty("namespace").GetString());

        AssertOk(await PostAsync(KeyB, "clear", $$"""{"key":"{{key}}"}"""));
        Assert.Equal([key], Keys(await StatsAsync(KeyA)));
    }

    /// <summary>The server's short key id: the first 4 bytes of the key's SHA-256, in lower-case hex.</summary>
    [Fact]
    public async Task Automatic_prefix_reuse_on_completions_is_per_key()
    {
        // A prompt of its own (no other test sends it), long enough that a reused prefix is unmistakable.
        const string Prompt = "Once upon a time a little fox found a shiny red ball beside the old river bank, and she";

        // The same key sending it again reuses its slot's prefix: the control that shows reuse works here at all.
        Assert.Equal(0, await CompletionCachedTokensAsync(KeyA, Prompt));
        Assert.True(await CompletionCachedTokensAsync(KeyA, Prompt) > 0);

        // Another key sending the same prompt computes it afresh: it cannot learn that key A sent it.
        Assert.Equal(0, await CompletionCachedTokensAsync(KeyB, Prompt));
    }

    private static string KeyId(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 4);

    private static string[] Keys(JsonElement stats) => [.. stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];

    private static void AssertOk(string body) => Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("ok").GetBoolean(), body);

    private static string AssertCode(string code, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, root.GetProperty("code").GetString());
        return root.GetProperty("error").GetString()!;
    }

    private async Task<JsonElement> StatsAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "acore/prompt_cache/stats");
        request.Headers.Authorization = new("Bearer", key);
        using var response = await _server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("stats");
    }

    private async Task<string> PostAsync(string key, string route, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"acore/prompt_cache/{route}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await _server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private async Task<HttpResponseMessage> ChatResponseAsync(string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("{\"model\":\"\",\"max_tokens\":4,\"temperature\":0," + body[1..], Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        return await _server.Http.SendAsync(request);
    }

    private async Task<int> CompletionCachedTokensAsync(string key, string prompt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = new StringContent(
                JsonSerializer.Serialize(new { model = "", prompt, max_tokens = 2, temperature = 0 }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        using var response = await _server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
    }

    private async Task<JsonElement> ChatAsync(string key, string body)
    {
        using var response = await ChatResponseAsync(key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }
}
