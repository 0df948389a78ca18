using AbstractEndpoint.Host.Options;
using AbstractEndpoint.Server.Tests.Infrastructure;
using OpenAI.Chat;

namespace AbstractEndpoint.Server.Tests.Api;

/// <summary>Many requests at once on one model: each gets the answer it would get alone.</summary>
public sealed class ConcurrencyTests
{
    private static readonly EndpointOptions EightSlots = new()
    {
        Model = TestModels.Synthetic,
        Alias = "stories",
        Parallel = 8,
        ContextSize = 4096,
        Threads = 2,
    };

    [Theory]
    [InlineData(null)] // llama.cpp's choice (flash attention on, for the CPU)
    [InlineData(false)] // --flash-attn off
    public Task A_greedy_reply_is_the_same_alone_and_alongside_seven_others(bool? flashAttention) =>
        AloneAndTogetherAgreeAsync(EightSlots with
        {
            FlashAttention = flashAttention,

            // Fixed prefill chunks: the step budget splits a prompt where measured step times say, and llama.cpp's
            // flash-attention CPU kernels give a prompt prefilled in other pieces other last bits, which can flip a
            // greedy pick on this random-weight model. This test is about requests not disturbing each other.
            TargetItlMs = null,
        });

    [Fact]
    public Task With_the_wave_hold_eight_requests_at_once_still_get_their_replies_alone() =>
        AloneAndTogetherAgreeAsync(EightSlots with
        {
            TargetItlMs = null,

            // Steps of 32 tokens: the eight prompts take several steps, so the streams whose prompts are done first
            // wait, held, for the others' (the whole wave is well within the 1,000 tokens), then all decode together.
            BatchSize = 32,
            WaveHoldTokens = 1000,
        });

    private static async Task AloneAndTogetherAgreeAsync(EndpointOptions serverOptions)
    {
        await using var server = await RunningServer.StartAsync(serverOptions);
        var client = server.ChatClient("stories");
        string[] openings = ["Once upon a time", "Tim had a red ball", "The sun was hot", "Lily saw a cat",
            "One day, a bird", "The little dog", "Mom said no", "A big tree"];
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 48,
            Temperature = 0,
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = 2,
        };

        var alone = new List<ChatCompletion>();
        foreach (var opening in openings)
        {
            alone.Add(await client.CompleteChatAsync([new UserChatMessage(opening)], options));
        }

        var together = await Task.WhenAll(openings.Select(async opening =>
            (ChatCompletion)await client.CompleteChatAsync([new UserChatMessage(opening)], options)));

        // Each reply is the one it got alone, token for token, up to a near-tie at most: a step's rows are computed
        // with other kernels when other requests share it (one row alone, a matrix together), so the last bits of
        // the logits differ, and on this random-weight model two candidates now and then lie within rounding of
        // each other. Where the replies part, the token taken together must be the alone run's runner-up, within
        // 0.01 of its pick; a request that disturbed another would part at once and by far.
        for (var i = 0; i < openings.Length; i++)
        {
            var aloneTokens = alone[i].ContentTokenLogProbabilities;
            var togetherTokens = together[i].ContentTokenLogProbabilities;
            var parted = Enumerable.Range(0, Math.Min(aloneTokens.Count, togetherTokens.Count))
                .FirstOrDefault(k => aloneTokens[k].Token != togetherTokens[k].Token, -1);
            if (parted < 0)
            {
                Assert.Equal(alone[i].Content[0].Text, together[i].Content[0].Text);
                continue;
            }

            var candidates = aloneTokens[parted].TopLogProbabilities;
            var runnerUp = Assert.Single(candidates, c => c.Token == togetherTokens[parted].Token);
            Assert.True(
                candidates[0].LogProbability - runnerUp.LogProbability < 0.01,
                $"'{openings[i]}' parted at token {parted} from its reply alone: '{aloneTokens[parted].Token}' " +
                $"({candidates[0].LogProbability}) against '{runnerUp.Token}' ({runnerUp.LogProbability}), no near-tie");
        }
    }
}
