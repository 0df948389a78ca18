using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Many requests at once on one model: each gets the answer it would get alone.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [InlineData(null)] // llama.cpp's choice (flash attention on, for the CPU)
    [InlineData(false)] // --flash-attn off
    public async Task A_greedy_reply_is_the_same_alone_and_alongside_seven_others(bool? flashAttention)
    {
        await using var server = await RunningServer.StartAsync(new EndpointOptions
        {
            Model = TestModels.Synthetic,
            Alias = "stories",
            Parallel = 8,
            ContextSize = 4096,
            Threads = 2,
            FlashAttention = flashAttention,

            // Fixed prefill chunks: the step budget splits a prompt where measured step times say, and llama.cpp's
            // flash-attention CPU kernels give a prompt prefilled in other pieces other last bits, which can flip a
            // greedy pick on this random-weight model. This test is about requests not disturbing each other.
            TargetItlMs = null,
        });
        var client = server.ChatClient("stories");
        string[] openings = ["Once upon a time", "Tim had a red ball", "The sun was hot", "Lily saw a cat",
            "One day, a bird", "The little dog", "Mom said no", "A big tree"];
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 48, Temperature = 0 };

        var alone = new List<string>();
        foreach (var opening in openings)
        {
            ChatCompletion reply = await client.CompleteChatAsync([new UserChatMessage(opening)], options);
            alone.Add(reply.Content[0].Text);
        }

        var together = await Task.WhenAll(openings.Select(async opening =>
        {
            ChatCompletion reply = await client.CompleteChatAsync([new UserChatMessage(opening)], options);
            return reply.Content[0].Text;
        }));

        Assert.Equal(alone, together);
    }
}
