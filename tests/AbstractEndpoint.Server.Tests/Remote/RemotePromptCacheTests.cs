using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// The front's prompt-cache control plane in the contract's <c>keyed</c> mode: keys are recorded and forwarded to
/// the real upstream (whose own cache then holds them), the rest of the plane answers <c>prompt_cache_unsupported</c>.
/// </summary>
[Collection(RemoteFrontCollection.Name)]
public sealed class RemotePromptCacheTests(RemoteFrontFixture fixture)
{
    [SkippableFact]
    public async Task Capabilities_report_the_keyed_mode()
    {
        var (front, _) = fixture.Require();

        using var reply = JsonDocument.Parse(await front.Http.GetStringAsync(new Uri("acore/prompt_cache/capabilities", UriKind.Relative)));

        var caps = reply.RootElement.GetProperty("capabilities");
        Assert.True(reply.RootElement.GetProperty("supported").GetBoolean());
        Assert.Equal("keyed", caps.GetProperty("mode").GetString());
        Assert.True(caps.GetProperty("supports_set").GetBoolean());
        Assert.True(caps.GetProperty("supports_clear").GetBoolean());
        Assert.True(caps.GetProperty("supports_stats").GetBoolean());
        Assert.False(caps.GetProperty("supports_update").GetBoolean());
        Assert.False(caps.GetProperty("supports_fork").GetBoolean());
        Assert.False(caps.GetProperty("supports_prepare_modules").GetBoolean());
    }

    [SkippableFact]
    public async Task The_default_key_set_on_the_front_goes_upstream_with_a_chat_that_names_none()
    {
        var (front, upstream) = fixture.Require();
        var key = "front-default-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using var set = await PostAsync(front, "acore/prompt_cache/set", $$"""{"key":"{{key}}"}""");
            Assert.True(set.RootElement.GetProperty("ok").GetBoolean());
            using var frontStats = JsonDocument.Parse(await front.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)));
            Assert.Equal(key, frontStats.RootElement.GetProperty("stats").GetProperty("default_key").GetString());

            using var chat = await front.Http.PostAsync(
                new Uri("v1/chat/completions", UriKind.Relative),
                new StringContent("""{"model":"x","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

            using var upstreamStats = JsonDocument.Parse(await upstream.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)));
            Assert.Contains(key, upstreamStats.RootElement.GetProperty("stats").GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        }
        finally
        {
            using var cleared = await PostAsync(front, "acore/prompt_cache/clear", $$"""{"key":"{{key}}"}""");
        }

        using var after = JsonDocument.Parse(await front.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)));
        Assert.DoesNotContain(key, after.RootElement.GetProperty("stats").GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
    }

    [SkippableTheory]
    [InlineData("update", """{"key":"k","prompt":"Once"}""")]
    [InlineData("fork", """{"from_key":"a","to_key":"b"}""")]
    [InlineData("prepare_modules", """{"namespace":"n","modules":[{"module_id":"m","prompt":"Once"}]}""")]
    public async Task Operations_the_upstream_cannot_do_answer_unsupported_with_the_keyed_capabilities(string operation, string body)
    {
        var (front, _) = fixture.Require();

        using var reply = await PostAsync(front, "acore/prompt_cache/" + operation, body);

        Assert.False(reply.RootElement.GetProperty("supported").GetBoolean());
        Assert.Equal("prompt_cache_unsupported", reply.RootElement.GetProperty("code").GetString());
        Assert.Equal(operation, reply.RootElement.GetProperty("operation").GetString());
        Assert.Equal("keyed", reply.RootElement.GetProperty("capabilities").GetProperty("mode").GetString());
    }

    [SkippableFact]
    public async Task Clearing_an_unknown_key_is_the_contracts_missing_key()
    {
        var (front, _) = fixture.Require();

        using var reply = await PostAsync(front, "acore/prompt_cache/clear", """{"key":"never-set-on-the-front"}""");

        Assert.Equal("prompt_cache_missing_key", reply.RootElement.GetProperty("code").GetString());
    }

    private static async Task<JsonDocument> PostAsync(RunningServer server, string route, string body)
    {
        using var response = await server.Http.PostAsync(new Uri(route, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
