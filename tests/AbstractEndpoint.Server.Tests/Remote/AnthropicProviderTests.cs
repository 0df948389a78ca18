using AbstractEndpoint.Server.Tests.Infrastructure;

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
}
