using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>GET /status</c>: the model's facts, the slots, the queue and a running total of generated tokens.</summary>
[Collection(StoriesServerCollection.Name)]
public sealed class StatusTests(StoriesServerFixture fixture)
{
    [SkippableFact]
    public async Task Status_reports_the_model_its_slots_and_counts_every_generated_token()
    {
        var server = fixture.Require();
        var before = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("status", UriKind.Relative));

        Assert.Equal(fixture.ModelId, before.GetProperty("model").GetString());
        Assert.Equal("ready", before.GetProperty("status").GetString());
        Assert.Equal(2048, before.GetProperty("context_size").GetInt32());
        Assert.Equal(4, before.GetProperty("slots_total").GetInt32());
        Assert.Equal(4, before.GetProperty("slots").GetArrayLength());
        Assert.Equal(0, before.GetProperty("queue_depth").GetInt32());
        Assert.All(before.GetProperty("slots").EnumerateArray(), slot => Assert.Equal("idle", slot.GetProperty("state").GetString()));
        Assert.True(before.GetProperty("time_ms").GetInt64() > 0);

        // Exactly 17 tokens (the end token banned): the total grows by exactly that much.
        using var content = new StringContent(
            $"{{\"model\":\"\",\"messages\":[{{\"role\":\"user\",\"content\":\"Once upon a time\"}}],\"max_tokens\":17,{fixture.NoEndBiasJson}}}",
            Encoding.UTF8, "application/json");
        using var reply = await server.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);
        reply.EnsureSuccessStatusCode();

        var after = await server.Http.GetFromJsonAsync<JsonElement>(new Uri("status", UriKind.Relative));
        Assert.Equal(17, after.GetProperty("generated_tokens_total").GetInt64() - before.GetProperty("generated_tokens_total").GetInt64());
    }
}
