using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Gguf;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>With <c>--prompt-cache-dir</c>, named caches (KV state, tokens, conversation, meta) survive a restart.</summary>
public sealed class PromptCachePersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("prompt-caches-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Caches_come_back_after_a_restart_and_are_reused_at_once()
    {
        int tokensBefore;
        string? bindingBefore;
        await using (var first = await StartAsync(TestModels.Synthetic))
        {
            await PostAsync(first, "set", "{\"key\":\"agent\"}");
            await PostAsync(first, "update", "{\"key\":\"agent\",\"system_prompt\":\"You are a patient teacher of small children who loves the sea.\"}");
            await ChatAsync(first, "agent", "Hello");
            tokensBefore = (await TokenCountsAsync(first))["agent"];
            Assert.True(tokensBefore > 20, $"the cache should hold the persona, the turn and the reply, not {tokensBefore} tokens");
            bindingBefore = (await StatsAsync(first)).GetProperty("meta_by_key").GetProperty("agent").GetProperty("binding_id").GetString();

            // Saved in the background; a clean shutdown right after still writes it.
            await PostAsync(first, "fork", "{\"from_key\":\"agent\",\"to_key\":\"session\"}");
        }

        await using var second = await StartAsync(TestModels.Synthetic);
        var stats = await StatsAsync(second);
        Assert.Equal(["agent", "session"], stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).Order());
        Assert.Equal(tokensBefore, (await TokenCountsAsync(second))["session"]);
        Assert.Equal("agent", stats.GetProperty("default_key").GetString());
        Assert.Equal(bindingBefore, stats.GetProperty("meta_by_key").GetProperty("agent").GetProperty("binding_id").GetString());

        // The conversation came back too: a delta continues it, and everything saved is reused without recompute.
        var usage = (await ChatAsync(second, "agent", "Again")).GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= tokensBefore - 1,
            $"expected about {tokensBefore} cached tokens after the restart: {usage}");
    }

    [Fact]
    public async Task A_cleared_cache_stays_cleared_after_a_restart()
    {
        await using (var first = await StartAsync(TestModels.Synthetic))
        {
            await PostAsync(first, "set", "{\"key\":\"kept\"}");
            await PostAsync(first, "update", "{\"key\":\"kept\",\"prompt\":\"Remember the sea.\"}");
            await PostAsync(first, "set", "{\"key\":\"gone\"}");
            await PostAsync(first, "update", "{\"key\":\"gone\",\"prompt\":\"Forget the sea.\"}");
            await PostAsync(first, "fork", "{\"from_key\":\"gone\",\"to_key\":\"gone-too\"}");
            await PostAsync(first, "clear", "{\"key\":\"gone\"}");
            await PostAsync(first, "clear", "{\"key\":\"gone-too\"}");
        }

        await using var second = await StartAsync(TestModels.Synthetic);
        Assert.Equal(["kept"], (await StatsAsync(second)).GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    /// <summary>
    /// What the previous version left on disk: a prepared key of 16 hex characters and meta without binding_id,
    /// created_at_s, model or provider; and a file that is not a cache at all. The cache loads (fresh identity), the
    /// other file is skipped, the server starts.
    /// </summary>
    [Fact]
    public async Task Caches_saved_by_the_previous_version_load_and_unreadable_files_are_skipped()
    {
        const string LegacyKey = "agent:0123456789abcdef";
        await using (var first = await StartAsync(TestModels.Synthetic))
        {
            await PostAsync(first, "set", $$"""{"key":"{{LegacyKey}}"}""");
            await PostAsync(first, "update", $$"""{"key":"{{LegacyKey}}","system_prompt":"You remember the sea."}""");
        }

        var file = Assert.Single(Directory.GetFiles(_directory, "*.cache"));
        var bytes = await File.ReadAllBytesAsync(file);
        var headerStart = "ACPC1\n".Length;
        var headerEnd = Array.IndexOf(bytes, (byte)'\n', headerStart);
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(headerStart, headerEnd - headerStart))!.AsObject();
        var meta = header["Meta"]!.AsObject();
        foreach (var added in new[] { "binding_id", "created_at_s", "model", "provider" })
        {
            Assert.True(meta.Remove(added), $"the saved meta should hold {added}: {meta.ToJsonString()}");
        }

        await File.WriteAllBytesAsync(file, [.. bytes[..headerStart], .. Encoding.UTF8.GetBytes(header.ToJsonString()), .. bytes[headerEnd..]]);
        await File.WriteAllTextAsync(Path.Combine(_directory, "garbage.cache"), "not a cache");

        await using var second = await StartAsync(TestModels.Synthetic);
        var stats = await StatsAsync(second);
        Assert.Equal([LegacyKey], stats.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        var row = stats.GetProperty("meta_by_key").GetProperty(LegacyKey);
        Assert.Matches("^pcb_[0-9a-f]{32}$", row.GetProperty("binding_id").GetString());
        Assert.True(row.GetProperty("created_at_s").GetDouble() > 1.7e9);
        Assert.True(row.GetProperty("fed_token_count").GetInt32() > 0, row.ToString());

        // Still reusable by its old key.
        var usage = (await ChatAsync(second, LegacyKey, "Hello")).GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() > 0, usage.ToString() + stats.ToString());
    }

    [Fact]
    public async Task Caches_saved_with_another_model_are_refused()
    {
        await using (var first = await StartAsync(TestModels.Synthetic))
        {
            await PostAsync(first, "set", "{\"key\":\"agent\"}");
            await PostAsync(first, "update", "{\"key\":\"agent\",\"prompt\":\"Remember the sea.\"}");
        }

        // Same architecture and vocabulary, different weights: the saved KV state would be garbage for it.
        var other = Path.Combine(_directory, "other-model.gguf");
        var changes = new GgufMetadataChanges();
        changes.Set(GgufKeys.Name, GgufValue.FromString("another model"));
        GgufMetadataEditor.Rewrite(TestModels.Synthetic, other, changes);

        await using var second = await StartAsync(other);
        Assert.Empty((await StatsAsync(second)).GetProperty("keys").EnumerateArray());
    }

    private Task<RunningServer> StartAsync(string model) =>
        RunningServer.StartAsync(new EndpointOptions { Model = model, Threads = 2, Parallel = 2, PromptCacheDirectory = _directory });

    private static async Task PostAsync(RunningServer server, string route, string body)
    {
        using var response = await server.Http.PostAsync(
            new Uri($"acore/prompt_cache/{route}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
    }

    private static async Task<JsonElement> ChatAsync(RunningServer server, string key, string text)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("v1/chat/completions", UriKind.Relative), new Dictionary<string, object>
        {
            ["model"] = "",
            ["prompt_cache_key"] = key,
            ["max_tokens"] = 5,
            ["temperature"] = 0,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = text } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> StatsAsync(RunningServer server) =>
        JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)))
            .RootElement.GetProperty("stats").Clone();

    private static async Task<Dictionary<string, int>> TokenCountsAsync(RunningServer server)
    {
        var stats = await StatsAsync(server);
        return stats.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetString()!)
            .ToDictionary(k => k, k => stats.GetProperty("meta_by_key").GetProperty(k).TryGetProperty("token_count", out var count) ? count.GetInt32() : 0);
    }
}
