using System.Net;
using System.Text;
using System.Text.Json;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Remote;

/// <summary>
/// A front instance with <c>--provider anthropic</c> over our own server's <c>/v1/messages</c> on stories260K: the
/// official OpenAI client talks to the front, the front speaks Anthropic's Messages API upstream, and the replies
/// equal what the upstream answers its own OpenAI clients.
/// </summary>
[Collection(AnthropicFrontCollection.Name)]
public sealed class AnthropicProviderTests(AnthropicFrontFixture fixture)
{
    [SkippableFact]
    public async Task Plain_chat_through_the_messages_api_equals_the_upstreams_reply()
    {
        var (front, upstream) = fixture.Require();
        await FrontChatChecks.PlainChatEqualsTheUpstreamsAsync(front, AnthropicFrontFixture.FrontModel, upstream, AnthropicFrontFixture.UpstreamModel);
    }

    [SkippableFact]
    public async Task A_streamed_chat_arrives_in_pieces_with_usage_and_finish_reason()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.StreamedChatArrivesInPiecesAsync(front, AnthropicFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task A_forced_tool_call_comes_back_as_an_openai_tool_call()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.ForcedToolCallStreamsThroughAsync(front, AnthropicFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task A_stop_sequence_ends_the_reply_before_it()
    {
        var (front, _) = fixture.Require();
        await FrontChatChecks.StopSequenceEndsTheReplyAsync(front, AnthropicFrontFixture.FrontModel);
    }

    [SkippableFact]
    public async Task A_json_schema_reply_comes_back_as_content_valid_for_the_schema()
    {
        var (front, _) = fixture.Require();
        const string schema = FrontChatChecks.PersonSchema;
        var options = FrontChatChecks.PersonSchemaOptions();
        ChatMessage[] story = [new UserChatMessage("Once upon a time")];

        // The front sends the schema as a forced answer tool; the upstream's call comes back as the content.
        ChatCompletion reply = await front.ChatClient(AnthropicFrontFixture.FrontModel).CompleteChatAsync(story, options);

        Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
        Assert.Empty(reply.ToolCalls);
        SchemaAssert.Valid(schema, reply.Content[0].Text);

        var streamed = new StringBuilder();
        await foreach (var update in front.ChatClient(AnthropicFrontFixture.FrontModel).CompleteChatStreamingAsync(story, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        SchemaAssert.Valid(schema, streamed.ToString());
    }

    [SkippableFact]
    public async Task A_reasoning_effort_is_sent_as_thinking_the_upstream_accepts()
    {
        var (front, _) = fixture.Require();
        using var content = new StringContent(
            """{"model":"m","messages":[{"role":"user","content":"Once upon a time"}],"reasoning_effort":"low","max_tokens":1500,"stop":[".",","]}""",
            Encoding.UTF8, "application/json");

        // thinking: {type: enabled, budget_tokens: 1499} is valid for a Messages server (at least 1024, under max_tokens); the stop sequences keep the tiny model short.
        using var response = await front.Http.PostAsync(new Uri("v1/chat/completions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }
}
