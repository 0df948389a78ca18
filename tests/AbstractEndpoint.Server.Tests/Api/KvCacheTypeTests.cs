using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Llama;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>
/// <c>--cache-type-k/-v</c> on the real engine: a q8_0 KV cache answers chat, its states take about half the bytes
/// of f16 ones (so the flag reached llama.cpp), and a cache saved under one pair of types is not loaded under another.
/// </summary>
public sealed class KvCacheTypeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kv-cache-types-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_q8_0_key_cache_answers_a_chat()
    {
        await using var server = await StartAsync(KvCacheType.Q8_0, KvCacheType.F16);

        var reply = await ChatAsync(server, "Tell me about the sea.");

        var choice = reply.GetProperty("choices")[0];
        Assert.NotNull(choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(6, reply.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task A_q8_0_cache_holds_the_same_prompt_in_about_half_the_bytes()
    {
        long f16;
        await using (var server = await StartAsync(KvCacheType.F16, KvCacheType.F16))
        {
            f16 = await CacheBytesAsync(server);
        }

        await using (var server = await StartAsync(KvCacheType.Q8_0, KvCacheType.Q8_0))
        {
            var q8 = await CacheBytesAsync(server);

            // q8_0 stores 32 values in 34 bytes, f16 in 64: the KV part shrinks to 53 %; the state's small header does not.
            Assert.InRange(q8, f16 / 3, f16 * 6 / 10);
        }
    }

    [Fact]
    public async Task A_cache_saved_under_other_kv_types_is_not_loaded()
    {
        await using (var first = await StartAsync(KvCacheType.Q8_0, KvCacheType.F16, _directory))
        {
            await CacheBytesAsync(first);
        }

        await using (var other = await StartAsync(KvCacheType.F16, KvCacheType.F16, _directory))
        {
            Assert.Empty((await StatsAsync(other)).GetProperty("keys").EnumerateArray());
        }

        // The file was refused for its types alone: the types it was saved with load it.
        await using var same = await StartAsync(KvCacheType.Q8_0, KvCacheType.F16, _directory);
        Assert.Equal(["sea"], (await StatsAsync(same)).GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    private static Task<RunningServer> StartAsync(KvCacheType k, KvCacheType v, string? directory = null) =>
        RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.QuantizableKv,
            Threads = 2,
            Parallel = 2,
            ContextSize = 1024,
            CacheTypeK = k,
            CacheTypeV = v,
            PromptCacheDirectory = directory,
        });

    private static async Task<long> CacheBytesAsync(RunningServer server)
    {
        await PostAsync(server, "set", "{\"key\":\"sea\"}");
        await PostAsync(server, "update", "{\"key\":\"sea\",\"prompt\":\"" + string.Concat(Enumerable.Repeat("The sea is wide and blue. ", 20)) + "\"}");
        return (await StatsAsync(server)).GetProperty("meta_by_key").GetProperty("sea").GetProperty("bytes").GetInt64();
    }

    private static async Task PostAsync(RunningServer server, string route, string body)
    {
        using var response = await server.Http.PostAsync(
            new Uri($"acore/prompt_cache/{route}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());
    }

    private static async Task<JsonElement> StatsAsync(RunningServer server) =>
        JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)))
            .RootElement.GetProperty("stats").Clone();

    private static async Task<JsonElement> ChatAsync(RunningServer server, string text)
    {
        using var response = await server.Http.PostAsJsonAsync(new Uri("v1/chat/completions", UriKind.Relative), new Dictionary<string, object>
        {
            ["model"] = "",
            ["max_tokens"] = 6,
            ["temperature"] = 0,
            ["ignore_eos"] = true,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = text } },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
