using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// The <c>/acore/prompt_cache/*</c> control plane on llama.cpp KV sequences, and chat requests that continue a named
/// cache: the original's envelopes, delta mode, forks that reuse cells, immutable prepared modules.
/// </summary>
public sealed class PromptCacheTests : IAsyncLifetime
{
    private const string Persona =
        "You are a storyteller. You tell short stories about animals, friendship and the sea, in simple words.";

    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new EndpointOptions { Model = TestModels.Synthetic, Threads = 2, Parallel = 2 });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Set_update_fork_and_clear_answer_with_the_contract_envelope()
    {
        // The newest contract: operation and capabilities in every reply, coded errors instead of ok:false.
        AssertOk("set", await PostAsync("set", "{\"key\":\"agent\"}"));
        AssertOk("update", await PostAsync("update", $"{{\"key\":\"agent\",\"system_prompt\":\"{Persona}\"}}"));
        AssertOk("fork", await PostAsync("fork", "{\"from_key\":\"agent\",\"to_key\":\"session\"}"));
        AssertCode("fork", "prompt_cache_missing_source_key", await PostAsync("fork", "{\"from_key\":\"missing\",\"to_key\":\"x\"}"));
        AssertCode("set", "prompt_cache_invalid_key", await PostAsync("set", "{\"key\":\"   \"}"));

        var stats = await StatsAsync();
        Assert.Equal(2, stats.GetProperty("entries").GetInt32());
        Assert.Equal(32, stats.GetProperty("max_entries").GetInt32());
        Assert.Equal("agent", stats.GetProperty("default_key").GetString());
        Assert.Equal(["agent", "session"], stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        var session = stats.GetProperty("meta_by_key").GetProperty("session");
        Assert.Equal("agent", session.GetProperty("forked_from").GetString());
        Assert.Equal("llama_cpp", session.GetProperty("backend").GetString());

        AssertOk("clear", await PostAsync("clear", "{\"key\":\"agent\"}"));
        AssertCode("clear", "prompt_cache_missing_key", await PostAsync("clear", "{\"key\":\"agent\"}"));
        var after = await StatsAsync();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("default_key").ValueKind);
        Assert.Equal(["session"], after.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task A_fork_starts_with_the_prefix_in_cache_and_a_delta_continues_the_conversation()
    {
        await PostAsync("set", "{\"key\":\"base\",\"make_default\":false}");
        await PostAsync("update", $"{{\"key\":\"base\",\"system_prompt\":\"{Persona}\"}}");
        await PostAsync("fork", "{\"from_key\":\"base\",\"to_key\":\"chat\"}");

        // First turn: only the new user message is sent; the persona comes from the cache, without recompute.
        var first = await ChatAsync("{\"prompt_cache_key\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        var firstUsage = first.GetProperty("usage");
        var firstPrompt = firstUsage.GetProperty("prompt_tokens").GetInt32();
        var firstCached = firstUsage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();
        Assert.True(firstCached >= 20, $"the persona's tokens should come from the cache, got {firstCached} of {firstPrompt}");

        // Second turn (delta): history = persona + turn 1 + reply; everything before the new turn is reused.
        var second = await ChatAsync("{\"prompt_cache_key\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"More\"}]}");
        var secondUsage = second.GetProperty("usage");
        Assert.True(secondUsage.GetProperty("prompt_tokens").GetInt32() > firstPrompt);
        Assert.True(secondUsage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= firstPrompt,
            "the previous prompt and reply should be reused");

        // The base cache was not advanced by the fork's conversation.
        var meta = (await StatsAsync()).GetProperty("meta_by_key");
        Assert.Equal("base", meta.GetProperty("chat").GetProperty("forked_from").GetString());
    }

    [Fact]
    public async Task An_unknown_key_is_created_on_first_use()
    {
        await ChatAsync("{\"prompt_cache_key\":\"brand-new\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        var stats = await StatsAsync();
        Assert.Contains("brand-new", stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task Prepared_modules_get_the_original_keys_and_stay_immutable()
    {
        var result = JsonDocument.Parse(await PostAsync("prepare_modules",
            "{\"namespace\":\"agent\",\"modules\":[{\"module_id\":\"persona\",\"system_prompt\":\"" + Persona + "\"}," +
            "{\"module_id\":\"task\",\"prompt\":\"Tell a story.\"}]}")).RootElement;

        Assert.True(result.GetProperty("supported").GetBoolean());
        var modules = result.GetProperty("modules").EnumerateArray().ToList();
        Assert.Equal(2, modules.Count);
        var finalKey = result.GetProperty("final_cache_key").GetString()!;
        Assert.Equal(modules[1].GetProperty("cache_key").GetString(), finalKey);
        Assert.StartsWith("agent:", finalKey, StringComparison.Ordinal);

        var before = (await StatsAsync()).GetProperty("meta_by_key").GetProperty(finalKey);
        var tokenCount = before.GetProperty("token_count").GetInt32();
        Assert.True(before.GetProperty("immutable").GetBoolean());

        // A chat on the snapshot reuses it but never advances it.
        var reply = await ChatAsync($"{{\"prompt_cache_key\":\"{finalKey}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Go\"}}]}}");
        Assert.True(reply.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= tokenCount - 1);
        AssertCode("update", "prompt_cache_append_failed", await PostAsync("update", $"{{\"key\":\"{finalKey}\",\"prompt\":\"more\"}}"));

        // Preparing the same modules again reuses every key: nothing is recomputed.
        var again = JsonDocument.Parse(await PostAsync("prepare_modules",
            "{\"namespace\":\"agent\",\"modules\":[{\"module_id\":\"persona\",\"system_prompt\":\"" + Persona + "\"}," +
            "{\"module_id\":\"task\",\"prompt\":\"Tell a story.\"}]}")).RootElement;
        Assert.Equal(finalKey, again.GetProperty("final_cache_key").GetString());
        Assert.Equal(2, (await StatsAsync()).GetProperty("entries").GetInt32());
    }

    [Theory]
    [InlineData("set", "{\"make_default\":true}", "key")]
    [InlineData("set", "{\"key\":7}", "key")]
    [InlineData("fork", "{\"from_key\":\"a\"}", "to_key")]
    [InlineData("update", "not json", null)]
    [InlineData("prepare_modules", "{\"namespace\":\"n\",\"modules\":\"x\"}", "modules")]
    public async Task Malformed_bodies_get_a_400_OpenAI_error(string route, string body, string? param)
    {
        using var response = await _server.Http.PostAsync(
            new Uri($"acore/prompt_cache/{route}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    private static void AssertOk(string operation, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["supported", "operation", "ok", "capabilities"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("ok").GetBoolean(), body);
        Assert.Equal(operation, root.GetProperty("operation").GetString());
        Assert.Equal("local_control_plane", root.GetProperty("capabilities").GetProperty("mode").GetString());
    }

    private static void AssertCode(string operation, string code, string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["supported", "operation", "code", "error", "capabilities"], root.EnumerateObject().Select(p => p.Name));
        Assert.False(root.GetProperty("supported").GetBoolean());
        Assert.Equal((operation, code), (root.GetProperty("operation").GetString(), root.GetProperty("code").GetString()));
        Assert.NotEmpty(root.GetProperty("error").GetString()!);
    }

    private async Task<string> PostAsync(string route, string body)
    {
        using var response = await _server.Http.PostAsync(
            new Uri($"acore/prompt_cache/{route}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return text;
    }

    private async Task<JsonElement> StatsAsync()
    {
        var text = await _server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative));
        var root = JsonDocument.Parse(text).RootElement;
        Assert.True(root.GetProperty("supported").GetBoolean());
        return root.GetProperty("stats").Clone();
    }

    private async Task<JsonElement> ChatAsync(string body)
    {
        var request = "{\"model\":\"\",\"max_tokens\":6,\"temperature\":0," + body[1..];
        using var response = await _server.Http.PostAsync(
            new Uri("v1/chat/completions", UriKind.Relative), new StringContent(request, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
