using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>When the KV cache runs full, named caches move to host memory instead of being dropped, and come back on use.</summary>
public sealed class PromptCacheSpillTests
{
    [Fact]
    public async Task A_full_KV_cache_spills_the_least_recent_cache_to_RAM_and_restores_it_on_use()
    {
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 2, Parallel = 1, ContextSize = 512 });
        await PostAsync(server, "set", "{\"key\":\"a\",\"make_default\":false}");
        await PostAsync(server, "update", $"{{\"key\":\"a\",\"system_prompt\":\"{Words(0, 170)}\"}}");
        await PostAsync(server, "set", "{\"key\":\"b\",\"make_default\":false}");
        await PostAsync(server, "update", $"{{\"key\":\"b\",\"system_prompt\":\"{Words(1, 170)}\"}}");
        var before = await MetaAsync(server);
        var tokensOfA = before.GetProperty("a").GetProperty("token_count").GetInt32();
        Assert.True(tokensOfA > 150, $"cache a holds {tokensOfA} tokens");

        // A request that cannot fit beside both caches: the least recently used one (a) moves to host memory.
        await ChatAsync(server, null, Words(2, 170), maxTokens: 40);
        var after = await MetaAsync(server);
        Assert.Equal("ram", after.GetProperty("a").GetProperty("location").GetString());
        // Spilled, not dropped: nothing of either cache is lost (b may follow a out if the KV cells are fragmented).
        Assert.Equal(tokensOfA, after.GetProperty("a").GetProperty("token_count").GetInt32());
        Assert.Equal(before.GetProperty("b").GetProperty("token_count").GetInt32(), after.GetProperty("b").GetProperty("token_count").GetInt32());

        // Using it brings it back: its prefix is reused, not recomputed.
        var usage = (await ChatAsync(server, "a", "Hello", maxTokens: 4)).GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32() >= tokensOfA - 1, usage.ToString());
        Assert.Equal("kv", (await MetaAsync(server)).GetProperty("a").GetProperty("location").GetString());
    }

    private static string Words(int seed, int count)
    {
        string[] words = ["sea", "ship", "wind", "storm", "harbour", "friend", "light", "night", "island", "bird", "rope", "star"];
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));
    }

    private static async Task PostAsync(RunningServer server, string route, string body)
    {
        using var response = await server.Http.PostAsync(
            new Uri($"acore/prompt_cache/{route}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
    }

    private static async Task<JsonElement> MetaAsync(RunningServer server) =>
        JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)))
            .RootElement.GetProperty("stats").GetProperty("meta_by_key").Clone();

    private static async Task<JsonElement> ChatAsync(RunningServer server, string? key, string text, int maxTokens)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = "",
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["logit_bias"] = new Dictionary<string, int> { ["2"] = -100, ["260"] = -100 },
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = text } },
        };
        if (key is not null)
        {
            body["prompt_cache_key"] = key;
        }

        using var response = await server.Http.PostAsJsonAsync(new Uri("v1/chat/completions", UriKind.Relative), body);
        var reply = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, reply);
        return JsonDocument.Parse(reply).RootElement.Clone();
    }
}
