using System.Net.Http.Json;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// The automatic prompt cache in host memory, on the real engine: a long prompt whose slot was reused by other
/// prompts is restored from host memory when it comes back, and reports its cached tokens as a slot hit does.
/// </summary>
public sealed class HostPromptCacheTests
{
    [Fact]
    public async Task A_revisited_long_prompt_reports_cached_tokens_after_its_slot_was_reused_by_other_prompts()
    {
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 2, Parallel = 2, ContextSize = 2048 });

        var first = await ChatAsync(server, Words(0, 200));
        await ChatAsync(server, Words(1, 200));
        await ChatAsync(server, Words(2, 200)); // two slots, three prompts: the first one's slot moved on

        var revisit = await ChatAsync(server, Words(0, 200));

        var promptTokens = first.GetProperty("prompt_tokens").GetInt32();
        Assert.True(promptTokens > 200, first.ToString());
        Assert.Equal(promptTokens, revisit.GetProperty("prompt_tokens").GetInt32());
        // Every prompt token but the last (whose logits seed the first sample) came back from host memory.
        Assert.Equal(promptTokens - 1, CachedTokens(revisit));
        Assert.Equal(4, revisit.GetProperty("completion_tokens").GetInt32());
        // /status shows what host memory holds: the prompts whose slots moved on.
        var host = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("status", UriKind.Relative))).RootElement.GetProperty("host_cache");
        Assert.InRange(host.GetProperty("entries").GetInt32(), 2, 3);
        Assert.True(host.GetProperty("bytes").GetInt64() > 0, host.ToString());
    }

    [Fact]
    public async Task With_no_host_memory_the_revisited_prompt_is_recomputed()
    {
        await using var server = await RunningServer.StartAsync(
            new EndpointOptions { Model = TestModels.Synthetic, Threads = 2, Parallel = 1, ContextSize = 2048, CacheRamBytes = 0 });

        await ChatAsync(server, Words(0, 200));
        await ChatAsync(server, Words(1, 200));

        var revisit = await ChatAsync(server, Words(0, 200));

        // Only the chat template's opening, shared with the prompt in between, is reused.
        Assert.InRange(CachedTokens(revisit), 0, 16);
    }

    [Fact]
    public async Task An_entry_saved_for_one_api_key_is_not_restored_for_another()
    {
        await using var server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Threads = 2,
            Parallel = 1,
            ContextSize = 2048,
            ApiKey = "key-one-0123456789,key-two-0123456789",
        });

        await ChatAsync(server, Words(0, 200), "key-one-0123456789");
        await ChatAsync(server, Words(1, 200), "key-one-0123456789"); // key one's first prompt goes to host memory

        var otherKey = await ChatAsync(server, Words(0, 200), "key-two-0123456789");
        var sameKey = await ChatAsync(server, Words(0, 200), "key-one-0123456789");

        Assert.Equal(0, CachedTokens(otherKey));
        Assert.Equal(sameKey.GetProperty("prompt_tokens").GetInt32() - 1, CachedTokens(sameKey));
    }

    private static int CachedTokens(JsonElement usage) =>
        usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();

    private static string Words(int seed, int count)
    {
        string[] words = ["sea", "ship", "wind", "storm", "harbour", "friend", "light", "night", "island", "bird", "rope", "star"];
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));
    }

    /// <summary>A system prompt and a short question, 4 tokens out (end tokens biased away); returns the usage.</summary>
    private static async Task<JsonElement> ChatAsync(RunningServer server, string systemPrompt, string? apiKey = null)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = "",
            ["max_tokens"] = 4,
            ["temperature"] = 0,
            ["logit_bias"] = new Dictionary<string, int> { ["2"] = -100, ["260"] = -100 },
            ["messages"] = new[]
            {
                new Dictionary<string, string> { ["role"] = "system", ["content"] = systemPrompt },
                new Dictionary<string, string> { ["role"] = "user", ["content"] = "Tell me more." },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("v1/chat/completions", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new("Bearer", apiKey);
        }

        using var response = await server.Http.SendAsync(request);
        var reply = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, reply);
        return JsonDocument.Parse(reply).RootElement.GetProperty("usage").Clone();
    }
}
