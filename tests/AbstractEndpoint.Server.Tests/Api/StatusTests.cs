using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary><c>GET /status</c>: the model's facts, the slots, the queue, a running total of generated tokens and of the loop's time.</summary>
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

        // Where the loop's time went: one step computed the prompt and sampled the first token, 16 more one token
        // each; the decodes and the sampling are parts of the busy time.
        double Delta(string name) => after.GetProperty("steps").GetProperty(name).GetDouble() - before.GetProperty("steps").GetProperty(name).GetDouble();
        Assert.Equal(17, Delta("count"));
        Assert.True(Delta("prompt_tokens") >= 1, after.ToString());
        Assert.Equal(16, Delta("decoded_tokens") - Delta("prompt_tokens"));
        // Totals are rounded to 0.1 ms, and sampling 17 tokens of the tiny model can take less than that.
        Assert.True(Delta("decode_ms") > 0 && Delta("sample_ms") >= 0, after.ToString());
        Assert.True(Delta("busy_ms") >= Delta("decode_ms") + Delta("sample_ms"), after.ToString());
    }
}
