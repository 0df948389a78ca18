using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// A front instance with <c>--provider openai-compatible</c> over our own server on stories260K: the official OpenAI
/// client gets the same replies through the front as from the upstream itself, streamed as they come, and the
/// upstream sees the request's work end when the client goes away.
/// </summary>
[Collection(RemoteFrontCollection.Name)]
public sealed class RemoteProviderTests(RemoteFrontFixture fixture)
{
    private static readonly ChatMessage[] Story = [new UserChatMessage("Once upon a time")];

    private static ChatCompletionOptions Greedy(int maxTokens = 40) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    [SkippableFact]
    public async Task Plain_chat_through_the_front_equals_the_upstreams_reply()
    {
        var (front, upstream) = fixture.Require();
        await FrontChatChecks.PlainChatEqualsTheUpstreamsAsync(front, RemoteFrontFixture.FrontModel, upstream, RemoteFrontFixture.UpstreamModel);
    }

    [SkippableFact]
    public async Task A_streamed_chat_arrives_in_pieces_with_usage_and_finish_reason()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.StreamedChatArrivesInPiecesAsync(front, RemoteFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task A_forced_tool_call_streams_through_with_index_zero_and_valid_arguments()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.ForcedToolCallStreamsThroughAsync(front, RemoteFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task A_json_schema_reply_is_valid_for_the_schema()
    {
        var (front, _) = fixture.Require();
        const string schema = FrontChatChecks.PersonSchema;
        var options = FrontChatChecks.PersonSchemaOptions();

        ChatCompletion reply = await front.ChatClient(RemoteFrontFixture.FrontModel).CompleteChatAsync(Story, options);

        SchemaAssert.Valid(schema, reply.Content[0].Text);
    }

    [SkippableFact]
    public async Task A_stop_sequence_ends_the_reply_before_it()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.StopSequenceEndsTheReplyAsync(front, RemoteFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task Eight_concurrent_streams_all_finish()
    {
        var (front, _) = fixture.Require();
        var client = front.ChatClient(RemoteFrontFixture.FrontModel);

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var text = new StringBuilder();
            ChatFinishReason? finish = null;
            var options = new ChatCompletionOptions { Temperature = 0.8f, MaxOutputTokenCount = 30 + i };
            await foreach (var update in client.CompleteChatStreamingAsync(Story, options))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }

                finish = update.FinishReason ?? finish;
            }

            return (Text: text.ToString(), Finish: finish);
        }));

        Assert.All(replies, r => Assert.NotNull(r.Finish));
        Assert.All(replies, r => Assert.NotEmpty(r.Text));
    }

    [SkippableFact]
    public async Task A_client_disconnect_frees_the_upstream_slot()
    {
        var (front, upstream) = fixture.Require();
        const int maxTokens = 3000;
        var body = $$$"""
            {"model":"x","messages":[{"role":"user","content":"Once upon a time"}],"stream":true,
             "max_tokens":{{{maxTokens}}},"temperature":0,"logit_bias":{"2":-100}}
            """;
        await FrontChatChecks.ClientDisconnectFreesTheUpstreamSlotAsync(front, upstream, "v1/chat/completions", body, maxTokens, "\"content\"");
    }

    [SkippableFact]
    public async Task The_prompt_cache_key_arrives_upstream_and_the_clients_key_does_not()
    {
        var (front, upstream) = fixture.Require();
        var key = "remote-" + Guid.NewGuid().ToString("N")[..8];
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$$"""{"model":"x","prompt_cache_key":"{{{key}}}","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "client-secret");

        using var response = await front.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var stats = JsonDocument.Parse(await upstream.Http.GetStringAsync(new Uri("acore/prompt_cache/stats", UriKind.Relative)));
        Assert.Contains(key, stats.RootElement.GetProperty("stats").GetProperty("keys").EnumerateArray().Select(k => k.GetString()));

        // The upstream's abstractcore object comes back through the front: its cache report names the key.
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var cache = reply.RootElement.GetProperty("abstractcore").GetProperty("prompt_cache");
        Assert.Equal(key, cache.GetProperty("key").GetString());
        Assert.Equal("cold", cache.GetProperty("outcome").GetString());
    }

    [SkippableFact]
    public async Task Models_health_and_status_describe_the_remote_model()
    {
        var (front, _) = fixture.Require();

        using var models = JsonDocument.Parse(await front.Http.GetStringAsync(new Uri("v1/models", UriKind.Relative)));
        var only = Assert.Single(models.RootElement.GetProperty("data").EnumerateArray().ToList());
        Assert.Equal(RemoteFrontFixture.FrontModel, only.GetProperty("id").GetString());

        using var health = await front.Http.GetAsync(new Uri("health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var slots = JsonDocument.Parse(await front.Http.GetStringAsync(new Uri("slots", UriKind.Relative)));
        Assert.Equal(0, slots.RootElement.GetArrayLength());
    }
}
